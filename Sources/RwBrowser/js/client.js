// RwSDK client runtime: hydrates client components and calls server actions.
//
// A client component is an element with data-rw-client (its name), data-rw-module (the URL of
// the JavaScript module that drives it) and data-rw-props (its props as JSON). Its module exports
// `hydrate(element, props, context)` (or a default function) and, optionally,
// `dispose(element, context)`. `context.hot.data` is an object kept for the element across
// versions of its module, so that a module edited under `rw dev` can hand its state to the next
// version; `dispose` runs before that swap and when the element leaves the page.
// `context.channel(topic)` and `context.onSocketStatus(listener)` are the app's channels
// (channel.js).

import { channel, onSocketStatus } from "./channel.js";

/** Calls the server action `id` with `payload` as JSON and returns the fetch response. */
export async function callServerAction(id, payload) {
  return fetch(`/_rw/action/${encodeURIComponent(id)}`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify(payload ?? {}),
  });
}

/** The hydrated elements, each with the module, props and context it was hydrated with. */
const hydrated = new Map();

/** The pathname of a module URL, which names the module whatever its version query. */
function modulePath(url) {
  return new URL(url, location.href).pathname;
}

async function run(element, url) {
  const previous = hydrated.get(element);
  const record = {
    module: url,
    props: element.dataset.rwProps ?? "null",
    exports: null,
    context: { callServerAction, channel, onSocketStatus, hot: previous?.context.hot ?? { data: {} } },
  };
  hydrated.set(element, record);
  try {
    if (previous?.exports) await disposeRecord(element, previous);
    record.exports = await import(url);
    await (record.exports.hydrate ?? record.exports.default)(element, JSON.parse(record.props), record.context);
    element.dataset.rwHydrated = "true";
  } catch (error) {
    console.error(`RwSDK: client component ${element.dataset.rwClient} failed to hydrate`, error);
  }
}

async function disposeRecord(element, record) {
  try {
    await record.exports?.dispose?.(element, record.context);
  } catch (error) {
    console.error(`RwSDK: client component ${element.dataset.rwClient} failed to dispose`, error);
  }
}

/** Hydrates the client components under `root` that are not hydrated yet. */
export async function hydrate(root = document) {
  const pending = [];
  for (const element of root.querySelectorAll("[data-rw-client]")) {
    if (hydrated.has(element)) continue;
    pending.push(run(element, element.dataset.rwModule));
  }
  await Promise.all(pending);
}

/**
 * Brings the client components in line with the page after its markup changed in place:
 * components that left the page are disposed, those whose module URL or props changed are
 * disposed and hydrated again (keeping `hot.data`), and new ones are hydrated. Components whose
 * module and props are the same are left alone.
 */
export async function refresh(root = document) {
  const pending = [];
  for (const [element, record] of hydrated) {
    if (element.isConnected) continue;
    hydrated.delete(element);
    pending.push(disposeRecord(element, record));
  }
  for (const element of root.querySelectorAll("[data-rw-client]")) {
    const record = hydrated.get(element);
    if (!record) {
      pending.push(run(element, element.dataset.rwModule));
    } else if (record.module !== element.dataset.rwModule || record.props !== (element.dataset.rwProps ?? "null")) {
      pending.push(run(element, element.dataset.rwModule));
    }
  }
  await Promise.all(pending);
}

/**
 * Whether the element's module and props are those it was hydrated with: then its markup and
 * state belong to its module, and an in-place update leaves it alone.
 */
export function isCurrent(element, module, props) {
  const record = hydrated.get(element);
  return record !== undefined && record.module === module && record.props === (props ?? "null");
}

/**
 * Imports the module at `url` (a new version of the module at its pathname) and hydrates again
 * the elements it drives, after its old version's `dispose`. Returns how many elements it drives.
 */
export async function replaceModule(url) {
  const path = modulePath(url);
  const elements = [...hydrated.keys()].filter((element) => element.isConnected && modulePath(element.dataset.rwModule) === path);
  for (const element of elements) element.dataset.rwModule = url;
  await Promise.all(elements.map((element) => run(element, url)));
  return elements.length;
}

// A server action's <form> with data-rw-output="ID" is sent with fetch instead of
// navigating; the action's JSON result becomes the text of the element with that id.
document.addEventListener("submit", async (event) => {
  const form = event.target;
  const outputID = form.dataset?.rwOutput;
  if (!outputID || !new URL(form.action).pathname.startsWith("/_rw/action/")) return;
  event.preventDefault();
  const output = document.getElementById(outputID);
  const response = await fetch(form.action, {
    method: "POST",
    headers: { accept: "application/json" },
    body: new URLSearchParams(new FormData(form)),
  });
  if (output) output.textContent = await response.text();
  form.dispatchEvent(new CustomEvent("rw:action-result", { detail: { response }, bubbles: true }));
});

window.rw = { callServerAction, channel, onSocketStatus, hydrate, refresh, isCurrent, replaceModule };
hydrate();
