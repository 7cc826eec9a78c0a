"""Screenshots of every page a person sees, at a phone (390x844) and a laptop (1280x800)
size, light and dark; and a comparison of two such sets, pixel by pixel.

A refactor promises "the same pages": take a set before and a set after and compare. The
server is a real `sirelief serve` on a fresh data folder holding twelve weeks of demo
history (seed 0); the guided page is a session checked in and started through the app's own
forms, its clock frozen so the timer shows the same second in both sets.

Run:  .venv/bin/python bench/screenshots.py take DIR
      .venv/bin/python bench/screenshots.py compare BEFORE AFTER
"""

import argparse
import base64
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from pages import started_session
from support import CHROMIUM, CHROMIUM_ARGS, ensure_chromium, running_server
from tests.clock import MovableClock

from sirelief.services import Services
from sirelief.services.demo import fill_demo
from sirelief.settings import Settings

SIZES = {"phone": (390, 844), "laptop": (1280, 800)}
SCHEMES = ("light", "dark")
FROZEN_AT = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
PAGES = {
    "today": "/",
    "checkin": "/checkin",
    "insights": "/insights",
    "history": "/history",
    "exercises": "/exercises",
    "exercise": "/exercises/kettlebell-hip-flexor-smash",
    "routines": "/routines",
    "routine": "/routines/kettlebell-smash-reset",
    "gallery": "/gallery",
    "precautions": "/safety/precautions",
    "clearances": "/safety/clearances",
    "reviews": "/safety/reviews",
}
CHANGED_SHARE = 0.001
"""A page counts as changed when more than this share of its pixels differ."""


def take(folder: Path) -> None:
    """Every page, size and colour scheme as folder/<page>-<size>-<scheme>.png."""
    from playwright.sync_api import sync_playwright

    folder.mkdir(parents=True, exist_ok=True)
    ensure_chromium()
    with tempfile.TemporaryDirectory(prefix="sirelief-shots-") as scratch:
        data_dir = Path(scratch) / "data"
        services = Services(Settings(data_dir=data_dir, database_url=None), MovableClock())
        fill_demo(services, weeks=12, seed=0)
        services.close()
        with running_server(data_dir) as server, sync_playwright() as playwright:
            run_path = started_session(server.url)
            session_id = run_path.split("/")[2]
            pages = {**PAGES, "plan": f"/sessions/{session_id}", "run": run_path}
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            for size, (width, height) in SIZES.items():
                for scheme in SCHEMES:
                    context = browser.new_context(
                        viewport={"width": width, "height": height}, color_scheme=scheme
                    )
                    page = context.new_page()
                    page.clock.install(time=FROZEN_AT)
                    page.clock.pause_at(FROZEN_AT)
                    for name, path in pages.items():
                        page.goto(server.url + path, wait_until="networkidle")
                        page.screenshot(path=folder / f"{name}-{size}-{scheme}.png", full_page=True)
                    context.close()
            browser.close()
    print(f"{len(list(folder.glob('*.png')))} screenshots in {folder}")


COUNT_CHANGED = """async ([before, after]) => {
  const load = (source) => new Promise((done, failed) => {
    const image = new Image(); image.onload = () => done(image); image.onerror = failed;
    image.src = source;
  });
  const [old, young] = [await load(before), await load(after)];
  if (old.width !== young.width || old.height !== young.height)
    return {size: [[old.width, old.height], [young.width, young.height]]};
  const pixels = (image) => {
    const canvas = new OffscreenCanvas(image.width, image.height);
    const context = canvas.getContext("2d");
    context.drawImage(image, 0, 0);
    return context.getImageData(0, 0, image.width, image.height).data;
  };
  const [a, b] = [pixels(old), pixels(young)];
  let changed = 0;
  for (let i = 0; i < a.length; i += 4) {
    if (Math.abs(a[i] - b[i]) + Math.abs(a[i + 1] - b[i + 1]) + Math.abs(a[i + 2] - b[i + 2]) > 24)
      changed += 1;
  }
  return {share: changed / (a.length / 4)};
}"""


def compare(before: Path, after: Path) -> int:
    """Print each pair that differs (size or pixels); the number of such pairs. Chromium
    decodes and counts, so the comparison needs nothing the benchmarks do not have."""
    from playwright.sync_api import sync_playwright

    def data_url(path: Path) -> str:
        return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode()

    changed = 0
    names = sorted({p.name for p in before.glob("*.png")} | {p.name for p in after.glob("*.png")})
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page()
        for name in names:
            if not (before / name).exists() or not (after / name).exists():
                print(f"{name}: only in {'after' if (after / name).exists() else 'before'}")
                changed += 1
                continue
            found = page.evaluate(COUNT_CHANGED, [data_url(before / name), data_url(after / name)])
            if "size" in found:
                print(f"{name}: size {found['size'][0]} -> {found['size'][1]}")
                changed += 1
            elif found["share"] > CHANGED_SHARE:
                print(f"{name}: {found['share']:.2%} of pixels differ")
                changed += 1
        browser.close()
    print(f"{len(names)} screenshots compared, {changed} differ")
    return changed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("take").add_argument("folder", type=Path)
    pair = commands.add_parser("compare")
    pair.add_argument("before", type=Path)
    pair.add_argument("after", type=Path)
    args = parser.parse_args()
    if args.command == "take":
        take(args.folder)
    else:
        sys.exit(1 if compare(args.before, args.after) else 0)


if __name__ == "__main__":
    main()
