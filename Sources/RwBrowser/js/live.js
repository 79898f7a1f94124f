// rw dev: keeps the open page up to date with the app's code, in place.
//
// It follows the dev server's events on /_rw/events:
// - `hello`: the dev server session's id; a different one after a reconnect means a restarted
//   dev server, and the page reloads.
// - `update`: a new generation of the app is serving. The page fetches its own URL again and
//   morphs the document into the answer, keeping the browser's state (see morph.js).
// - `asset`: a file of the public folder changed. A stylesheet's <link> is swapped in place, a
//   client component module is imported again and its elements hydrated again.
// - `reload`: the page reloads fully (the runner restarted after a crash, its state is lost).
// - `error`: the error overlay shows over the page, which stays as it is.
import { morph } from "/_rw/morph.js";
import { hideOverlay, isDevInterface, isOverlayShown, showNotice, showOverlay } from "/_rw/overlay.js";

const liveScript = document.querySelector('script[src="/_rw/live.js"]');
/** Whether this page is the answer to a POST, which is never sent again. */
const answersPost = liveScript?.dataset.rwMethod === "POST";

let session = null;
/** What the last in-place update did, for tests and benchmarks. */
let lastUpdate = null;
/** What the last public file change did, for tests and benchmarks. */
let lastAsset = null;
/** The update running, and whether another generation arrived while it ran. */
let running = null;
let again = false;

/** Reloads the page, saying why in the console; the reloaded page can read the reason too. */
function fullReload(reason) {
  console.info(`rw dev: full reload: ${reason}`);
  sessionStorage.setItem("rw-dev-reload-reason", reason);
  location.reload();
}

/** The scripts of a document that belong to the page, as text: a change means a full reload. */
function scriptsOf(doc) {
  return [...doc.querySelectorAll("script")]
    .filter((script) => script.getAttribute("src") !== "/_rw/live.js" && !script.textContent.includes("rwLiveReload"))
    .map((script) => `${script.getAttribute("type") ?? ""} ${script.getAttribute("src") ?? script.textContent}`)
    .join("\n");
}

/** Focus, the caret or selection, and the scroll positions, to put back after a morph. */
function saveViewState() {
  const active = document.activeElement;
  let selection = null;
  try {
    if (active && typeof active.selectionStart === "number") {
      selection = [active.selectionStart, active.selectionEnd, active.selectionDirection];
    }
  } catch {
    // Inputs such as type=number have no selection.
  }
  const scrolled = [];
  for (const element of document.body.querySelectorAll("*")) {
    if (element.scrollTop !== 0 || element.scrollLeft !== 0) scrolled.push([element, element.scrollTop, element.scrollLeft]);
  }
  return { active, selection, scrolled, x: window.scrollX, y: window.scrollY };
}

function restoreViewState(state) {
  for (const [element, top, left] of state.scrolled) {
    if (element.isConnected && (element.scrollTop !== top || element.scrollLeft !== left)) element.scrollTo(left, top);
  }
  if (window.scrollX !== state.x || window.scrollY !== state.y) window.scrollTo(state.x, state.y);
  const { active, selection } = state;
  if (active && active.isConnected && active !== document.body && document.activeElement !== active) {
    active.focus({ preventScroll: true });
  }
  if (active && selection && document.activeElement === active) {
    try {
      if (active.selectionStart !== selection[0] || active.selectionEnd !== selection[1]) active.setSelectionRange(...selection);
    } catch {
      // The field no longer has a selection.
    }
  }
}

/** Waits, for a bounded time, until the stylesheet `link` has loaded or failed. */
function loaded(link) {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, 3000);
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    link.addEventListener("load", done, { once: true });
    link.addEventListener("error", done, { once: true });
  });
}

/** Puts `replacement` in place of the stylesheet `link` once it has loaded: no unstyled flash. */
async function swapStylesheet(link, replacement) {
  link.after(replacement);
  await loaded(replacement);
  link.remove();
}

function isStylesheet(node) {
  return node.localName === "link" && (node.getAttribute("rel") ?? "").split(/\s+/).includes("stylesheet");
}

function pathOf(url) {
  return new URL(url, location.href).pathname;
}

/**
 * Merges `next` (the new document's head) into the page's: the title, and the elements added,
 * removed or changed; a stylesheet whose URL changed is swapped once the new one has loaded.
 */
async function mergeHead(next) {
  if (document.title !== next.ownerDocument.title) document.title = next.ownerDocument.title;
  const keyOf = (node) => node.outerHTML;
  const wanted = new Map();
  for (const node of next.children) {
    if (node.localName !== "title") wanted.set(keyOf(node), node);
  }
  const swaps = [];
  for (const node of [...document.head.children]) {
    if (node.localName === "title" || node.localName === "script") continue;
    const key = keyOf(node);
    if (wanted.has(key)) {
      wanted.delete(key);
    } else if (isStylesheet(node)) {
      const path = pathOf(node.href);
      const successor = [...wanted.values()].find((candidate) => isStylesheet(candidate) && pathOf(candidate.href) === path);
      if (successor) {
        wanted.delete(keyOf(successor));
        swaps.push(swapStylesheet(node, document.importNode(successor, true)));
      } else {
        node.remove();
      }
    } else {
      node.remove();
    }
  }
  for (const node of wanted.values()) {
    if (node.localName !== "script") document.head.append(document.importNode(node, true));
  }
  await Promise.all(swaps);
}

/** Fetches this page's URL again and morphs the document into the answer. */
async function update(generation) {
  const started = performance.now();
  let response;
  try {
    response = await fetch(location.href, { headers: { accept: "text/html" }, cache: "no-store", redirect: "manual" });
  } catch (error) {
    fullReload(`the page could not be fetched again (${error})`);
    return;
  }
  if (response.type === "opaqueredirect" || (response.status >= 300 && response.status < 400)) {
    fullReload("the page now answers with a redirect");
    return;
  }
  if (!(response.headers.get("content-type") ?? "").startsWith("text/html")) {
    fullReload("the page's answer is not HTML");
    return;
  }
  // The whole body: a streamed page is morphed once its stream completes.
  const text = await response.text();
  const fetched = performance.now();
  const next = new DOMParser().parseFromString(text, "text/html");
  if (scriptsOf(next) !== scriptsOf(document)) {
    fullReload("the page's scripts changed");
    return;
  }
  const view = saveViewState();
  for (const { name, value } of next.documentElement.attributes) {
    if (document.documentElement.getAttribute(name) !== value) document.documentElement.setAttribute(name, value);
  }
  const head = mergeHead(next.head);
  morph(document.body, next.body, {
    // A client component whose module and props are unchanged keeps its markup and its state.
    update: (from, to) => !(from.dataset?.rwClient !== undefined && to.dataset?.rwClient !== undefined &&
      window.rw?.isCurrent(from, to.dataset.rwModule, to.dataset.rwProps)),
    keep: (node) => node.nodeType === Node.ELEMENT_NODE && isDevInterface(node),
  });
  restoreViewState(view);
  const morphed = performance.now();
  await window.rw?.refresh();
  await head;
  const finished = performance.now();
  lastUpdate = {
    generation,
    fetchMilliseconds: fetched - started,
    morphMilliseconds: morphed - fetched,
    totalMilliseconds: finished - started,
  };
  console.info(`rw dev: generation ${generation} updated in place in ${Math.round(finished - started)} ms`);
  window.dispatchEvent(new CustomEvent("rw:updated", { detail: lastUpdate }));
}

async function updates(generation) {
  if (running) {
    again = generation;
    return;
  }
  running = update(generation).catch((error) => fullReload(`the in-place update failed (${error})`));
  await running;
  running = null;
  if (again !== false) {
    const next = again;
    again = false;
    await updates(next);
  }
}

/** A file of the public folder changed: `change.path` is its path, `change.url` its new URL. */
async function assetChanged(change) {
  const { path, url } = change;
  let applied = 0;
  if (path.endsWith(".css")) {
    const links = [...document.querySelectorAll("link")].filter((link) => isStylesheet(link) && pathOf(link.href) === path);
    await Promise.all(links.map((link) => {
      const replacement = link.cloneNode();
      replacement.href = url;
      return swapStylesheet(link, replacement);
    }));
    applied = links.length;
  } else if (path.endsWith(".js") || path.endsWith(".mjs")) {
    applied = (await window.rw?.replaceModule(url)) ?? 0;
    if (applied === 0) {
      const loadedByPage = [...document.scripts].some((script) => script.src && pathOf(script.src) === path) ||
        performance.getEntriesByType("resource").some((entry) => pathOf(entry.name) === path);
      if (loadedByPage) {
        fullReload(`${path} changed, and it is not a client component's module`);
        return;
      }
    }
  } else {
    for (const element of document.querySelectorAll("[src]")) {
      if (pathOf(element.getAttribute("src")) === path) {
        element.setAttribute("src", url);
        applied += 1;
      }
    }
  }
  lastAsset = { path, url, applied };
  if (applied > 0) console.info(`rw dev: ${path} applied in place (${applied})`);
  window.dispatchEvent(new CustomEvent("rw:asset", { detail: lastAsset }));
}

const events = new EventSource("/_rw/events");
events.addEventListener("hello", (event) => {
  if (session !== null && session !== event.data) fullReload("the dev server restarted");
  session = event.data;
});
events.addEventListener("update", (event) => {
  hideOverlay();
  const { generation } = JSON.parse(event.data);
  if (answersPost) {
    showNotice(`The code changed (generation ${generation}). This page answered a form post, which is not sent again: reload or navigate to see the change.`);
    return;
  }
  updates(generation);
});
events.addEventListener("asset", (event) => {
  assetChanged(JSON.parse(event.data)).catch((error) => console.error("rw dev: a public file's change failed to apply", error));
});
events.addEventListener("reload", (event) => fullReload(JSON.parse(event.data).reason));
events.addEventListener("error", (event) => {
  if (event.data) showOverlay(JSON.parse(event.data));
});

// `session` is the dev server session's id once the event stream said hello.
window.rwLiveReload = {
  showOverlay,
  hideOverlay,
  isOverlayShown,
  get session() { return session; },
  get lastUpdate() { return lastUpdate; },
  get lastAsset() { return lastAsset; },
};
