// rw dev: the error overlay shown over the page, and the small notice in its corner.

const overlayID = "rw-error-overlay";
const noticeID = "rw-dev-notice";

/** Removes the error overlay, if shown. */
export function hideOverlay() {
  document.getElementById(overlayID)?.remove();
}

/** Whether the error overlay is shown. */
export function isOverlayShown() {
  return document.getElementById(overlayID) !== null;
}

/** Shows `problem.message` under `problem.title` over the page, which stays as it is under it. */
export function showOverlay(problem) {
  hideOverlay();
  const overlay = document.createElement("div");
  overlay.id = overlayID;
  overlay.setAttribute("role", "alertdialog");
  overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;background:rgba(20,20,20,.92);" +
    "color:#eee;font:14px/1.5 ui-monospace,monospace;padding:2rem;overflow:auto";
  const close = document.createElement("button");
  close.textContent = "×";
  close.title = "Dismiss";
  close.style.cssText = "float:right;font-size:1.5rem;background:none;color:#eee;border:0;cursor:pointer";
  close.addEventListener("click", hideOverlay);
  const title = document.createElement("h2");
  title.textContent = problem.title;
  title.style.cssText = "color:#ff6b6b;margin-top:0";
  const message = document.createElement("pre");
  message.textContent = problem.message;
  message.style.cssText = "white-space:pre-wrap";
  overlay.append(close, title, message);
  document.body.append(overlay);
}

/** Shows `text` in a small notice in the page's corner until it is dismissed. */
export function showNotice(text) {
  let notice = document.getElementById(noticeID);
  if (!notice) {
    notice = document.createElement("div");
    notice.id = noticeID;
    notice.setAttribute("role", "status");
    notice.style.cssText = "position:fixed;right:1rem;bottom:1rem;z-index:2147483646;max-width:24rem;" +
      "background:#222;color:#eee;font:13px/1.4 system-ui,sans-serif;padding:.75rem 1rem;border-radius:6px;" +
      "box-shadow:0 2px 8px rgba(0,0,0,.3);cursor:pointer";
    notice.title = "Dismiss";
    notice.addEventListener("click", () => notice.remove());
    document.body.append(notice);
  }
  notice.textContent = text;
}

/** Whether `node` belongs to the dev server's own interface rather than to the page. */
export function isDevInterface(node) {
  return node.id === overlayID || node.id === noticeID;
}
