"""Small 3D and 2D vector helpers: rotations in degrees, orthographic projection.

World axes while drawing: x forward (where the figure faces when standing), y up, z toward
the viewer of the side view, which is the figure's near (working) side.
"""

import math
from dataclasses import dataclass

Vec = tuple[float, float, float]
Mat = tuple[Vec, Vec, Vec]
"""A 3x3 matrix as rows."""
Point = tuple[float, float]

IDENTITY: Mat = ((1.0, 0.0, 0.0), (0.0, 1.0, 0.0), (0.0, 0.0, 1.0))


def add(a: Vec, b: Vec) -> Vec:
    return (a[0] + b[0], a[1] + b[1], a[2] + b[2])


def sub(a: Vec, b: Vec) -> Vec:
    return (a[0] - b[0], a[1] - b[1], a[2] - b[2])


def scale(a: Vec, k: float) -> Vec:
    return (a[0] * k, a[1] * k, a[2] * k)


def dot(a: Vec, b: Vec) -> float:
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]


def cross(a: Vec, b: Vec) -> Vec:
    return (a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0])


def mid(a: Vec, b: Vec, share: float = 0.5) -> Vec:
    return add(a, scale(sub(b, a), share))


def apply(m: Mat, v: Vec) -> Vec:
    """``m @ v``."""
    return (dot(m[0], v), dot(m[1], v), dot(m[2], v))


def compose(a: Mat, b: Mat) -> Mat:
    """``a @ b``."""
    columns = [(b[0][j], b[1][j], b[2][j]) for j in range(3)]
    return tuple(tuple(dot(row, col) for col in columns) for row in a)  # type: ignore[return-value]


def chain(*matrices: Mat) -> Mat:
    result = IDENTITY
    for matrix in matrices:
        result = compose(result, matrix)
    return result


def rot_x(degrees: float) -> Mat:
    c, s = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    return ((1.0, 0.0, 0.0), (0.0, c, -s), (0.0, s, c))


def rot_y(degrees: float) -> Mat:
    c, s = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    return ((c, 0.0, s), (0.0, 1.0, 0.0), (-s, 0.0, c))


def rot_z(degrees: float) -> Mat:
    """Rotation in the side view's plane: positive turns +x toward +y.

    >>> [round(v, 6) for v in apply(rot_z(90), (1, 0, 0))]
    [0.0, 1.0, 0.0]
    """
    c, s = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    return ((c, -s, 0.0), (s, c, 0.0), (0.0, 0.0, 1.0))


def column(m: Mat, index: int) -> Vec:
    return (m[0][index], m[1][index], m[2][index])


@dataclass(frozen=True)
class Camera:
    """An orthographic camera: ``turn`` walks around the figure, ``tilt`` looks down.

    >>> Camera(0, 0).project((10, 20, 5))
    (10.0, 20.0, 5.0)
    >>> [round(v, 6) for v in Camera(0, 90).project((10, 20, 5))]
    [10.0, -5.0, 20.0]
    """

    turn: float
    tilt: float

    @property
    def axes(self) -> tuple[Vec, Vec, Vec]:
        """Screen right, screen up and toward-the-camera, in world coordinates."""
        az, el = math.radians(self.turn), math.radians(self.tilt)
        toward = (math.sin(az) * math.cos(el), math.sin(el), math.cos(az) * math.cos(el))
        right = (math.cos(az), 0.0, -math.sin(az))
        up = (
            toward[1] * right[2] - toward[2] * right[1],
            toward[2] * right[0] - toward[0] * right[2],
            toward[0] * right[1] - toward[1] * right[0],
        )
        return right, up, toward

    def project(self, p: Vec) -> Vec:
        """Screen x, screen y (up) and depth (larger is nearer the camera)."""
        right, up, toward = self.axes
        return (dot(p, right), dot(p, up), dot(p, toward))

    def flatten(self, v: Vec) -> Point:
        right, up, _ = self.axes
        return (dot(v, right), dot(v, up))


def sym_sqrt(a: float, b: float, d: float) -> tuple[float, float, float]:
    """Symmetric square root of the 2x2 matrix [[a, b], [b, d]] (positive semi-definite).

    >>> [round(v, 6) for v in sym_sqrt(4, 0, 9)]
    [2.0, 0.0, 3.0]
    """
    det = max(a * d - b * b, 0.0)
    s = math.sqrt(det)
    t = math.sqrt(max(a + d + 2 * s, 1e-12))
    return ((a + s) / t, b / t, (d + s) / t)
