// sirelief's service worker, served at /sw.js behind one line that sets SIRELIEF: this
// release's name, the files to keep at install, the version (content hash) of each static
// file in this release and the offline page's address.
//
// - The app shell (offline page, manifest, icons, every static file) is kept at install
//   and served from this device.
// - Pages are asked of the network first. The pages of a session (plan, run, results) are
//   kept as they are visited, so a session screen reloads with the network gone; any other
//   page the network cannot give becomes the offline page.
// - Exercise figures are kept as they are seen (and those of a running session's steps,
//   when its page asks), so the session shows them offline.
// - Only GET answers are kept: a POST goes to the server as it always did (the session's
//   own outbox keeps its events until they arrive).
// - Signing in or out forgets every kept page: on a shared device the next person never
//   sees the last one's sessions.
// - Each release has its own caches; the old ones are deleted when it takes over.

const SHELL = `sirelief-${SIRELIEF.release}-shell`;
const PAGES = `sirelief-${SIRELIEF.release}-pages`;
const SESSION_PAGE = /^\/sessions\/[A-Za-z0-9_-]{1,64}(\/run|\/results)?$/;
const FIGURE = /^\/figures\/[A-Za-z0-9_-]{1,64}\/(left|right)\/(start|end|animated)\.svg$/;
const SIGNING = new Set(["/sign-in", "/sign-out"]);
const MATCH = { ignoreVary: true };

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(SHELL);
    await cache.addAll(SIRELIEF.precache);
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    const keep = new Set([SHELL, PAGES]);
    const names = await caches.keys();
    await Promise.all(names.filter((name) => name.startsWith("sirelief-") && !keep.has(name))
      .map((name) => caches.delete(name)));
    await self.clients.claim();
  })());
});

function forgetPages() {
  return caches.delete(PAGES);
}

async function page(request, url) {
  if (SIGNING.has(url.pathname)) await forgetPages();
  try {
    const response = await fetch(request);
    if (response.ok && response.type === "basic" && SESSION_PAGE.test(url.pathname)) {
      const cache = await caches.open(PAGES);
      await cache.put(request, response.clone());
    }
    return response;
  } catch (error) {
    const kept = await caches.match(request, { ...MATCH, cacheName: PAGES });
    if (kept) return kept;
    const offline = await caches.match(SIRELIEF.offline, { ...MATCH, cacheName: SHELL });
    if (offline) return offline;
    throw error;
  }
}

// A static file is kept once, under its bare address; a page asks for it with ?v=<hash>
// (a module import without): the kept copy answers when that hash is this release's.
function keptAddress(url) {
  if (!url.pathname.startsWith("/static/")) return url.href;
  const version = url.searchParams.get("v");
  const ours = SIRELIEF.static[url.pathname];
  return version === null || version === ours ? url.pathname : null;
}

async function kept(request, store) {
  const address = keptAddress(new URL(request.url));
  const cached = address && await caches.match(address, { ...MATCH, cacheName: SHELL });
  if (cached) return cached;
  const response = await fetch(request);
  if (store && response.ok && response.type === "basic") {
    const cache = await caches.open(SHELL);
    await cache.put(request, response.clone());
  }
  return response;
}

async function keepFigures(urls) {
  const cache = await caches.open(SHELL);
  for (const url of urls) {
    if (!FIGURE.test(new URL(url, self.location.origin).pathname)) continue;
    if (await cache.match(url, MATCH)) continue;
    try {
      const response = await fetch(url);
      if (response.ok) await cache.put(url, response);
    } catch {
      return; // offline already: the figures seen so far are what there is
    }
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method !== "GET") {
    if (request.method === "POST" && SIGNING.has(url.pathname)) event.waitUntil(forgetPages());
    return; // to the server as usual, never kept
  }
  if (request.mode === "navigate") {
    event.respondWith(page(request, url));
  } else if (url.pathname.startsWith("/static/") || url.pathname.startsWith("/icons/")
             || url.pathname === "/manifest.webmanifest") {
    event.respondWith(kept(request, false));
  } else if (FIGURE.test(url.pathname)) {
    event.respondWith(kept(request, true));
  }
});

self.addEventListener("message", (event) => {
  if (event.origin && event.origin !== self.location.origin) return;
  const message = event.data || {};
  if (message.kind === "keep-figures" && Array.isArray(message.urls)) {
    event.waitUntil(keepFigures(message.urls.slice(0, 200)));
  } else if (message.kind === "forget-pages") {
    event.waitUntil(forgetPages());
  }
});

// Web Push reminders: whatever a push carries, the notification says only sirelief's
// generic words (the server sends nothing else), and a tap opens or focuses the app.
const REMINDER = { title: "sirelief", body: "Time for your session", url: "/" };

self.addEventListener("push", (event) => {
  event.waitUntil(self.registration.showNotification(REMINDER.title, {
    body: REMINDER.body,
    icon: "/icons/icon-192.png",
    badge: "/icons/icon-192.png",
    tag: "sirelief-reminder",
    data: { url: REMINDER.url },
  }));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  event.waitUntil((async () => {
    const target = new URL(REMINDER.url, self.location.origin).href;
    const open = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
    const here = open.find((client) => new URL(client.url).origin === self.location.origin);
    if (here) {
      await here.focus();
      if (here.url !== target && "navigate" in here) await here.navigate(target);
      return;
    }
    await self.clients.openWindow(target);
  })());
});
