// rw dev: turns a live DOM tree into another one in place, keeping every node that can stay.
//
// Children are matched by id first, then by node type and tag in order. A matched node stays the
// same DOM object: its attributes and text are brought in line with the new tree, so focus,
// selection, scroll, open <details> and <dialog>s and playing media stay as they are. What the
// user typed into a form field stays too, unless the new markup changes that field's own value.

/**
 * Morphs `from` (a live element) into `to` (an element of another document, which the morph may
 * take nodes from). `hooks.update(from, to)` may return false to leave an element and everything
 * in it as it is; `hooks.keep(node)` may return true to leave a child that has no counterpart.
 */
export function morph(from, to, hooks = {}) {
  updateElement(from, to, hooks);
}

/** The key two nodes must share to be matched by position: node type, and tag for elements. */
function keyOf(node) {
  return node.nodeType === Node.ELEMENT_NODE ? node.localName : `#${node.nodeType}`;
}

/** The id of an element child, which matches it only to a child with the same id. */
function idOf(node) {
  return node.nodeType === Node.ELEMENT_NODE && node.id ? node.id : null;
}

function updateNode(from, to, hooks) {
  if (from.nodeType === Node.ELEMENT_NODE) {
    updateElement(from, to, hooks);
  } else if (from.nodeValue !== to.nodeValue) {
    from.nodeValue = to.nodeValue;
  }
}

/** Attributes a user changes by using the element; the new markup does not reset them. */
function isUserState(element, name) {
  return name === "open" && (element.localName === "details" || element.localName === "dialog");
}

function updateAttributes(from, to) {
  for (const { name, value } of to.attributes) {
    if (from.getAttribute(name) !== value && !isUserState(from, name)) from.setAttribute(name, value);
  }
  for (const { name } of [...from.attributes]) {
    if (!to.hasAttribute(name) && !isUserState(from, name)) from.removeAttribute(name);
  }
}

/** Form fields: the live value follows the markup only where the markup's own value changed. */
function updateField(from, to) {
  const name = from.localName;
  if (name === "input") {
    const valueChanged = from.getAttribute("value") !== to.getAttribute("value");
    const checkedChanged = from.hasAttribute("checked") !== to.hasAttribute("checked");
    updateAttributes(from, to);
    if (valueChanged) from.value = to.getAttribute("value") ?? "";
    if (checkedChanged) from.checked = to.hasAttribute("checked");
    return true;
  }
  if (name === "textarea") {
    updateAttributes(from, to);
    if (from.defaultValue !== to.textContent) {
      from.defaultValue = to.textContent;
      from.value = to.textContent;
    }
    return true;
  }
  if (name === "option") {
    const selectedChanged = from.hasAttribute("selected") !== to.hasAttribute("selected");
    updateAttributes(from, to);
    if (selectedChanged) from.selected = to.hasAttribute("selected");
    return false;
  }
  return false;
}

function updateElement(from, to, hooks) {
  if (hooks.update && hooks.update(from, to) === false) return;
  if (updateField(from, to)) return;
  updateAttributes(from, to);
  updateChildren(from, to, hooks);
}

function updateChildren(from, to, hooks) {
  const old = [...from.childNodes];
  const byID = new Map();
  for (const node of old) {
    const id = idOf(node);
    if (id !== null && !byID.has(id)) byID.set(id, node);
  }
  const used = new Set();
  // The first old child not matched by position yet: matching goes forward from it, so a
  // child inserted or removed does not shift the rest.
  let cursor = 0;
  const result = [];
  for (const next of [...to.childNodes]) {
    let match = null;
    const id = idOf(next);
    if (id !== null) {
      const candidate = byID.get(id);
      if (candidate && !used.has(candidate) && candidate.localName === next.localName) match = candidate;
    } else {
      const key = keyOf(next);
      for (let index = cursor; index < old.length; index += 1) {
        const candidate = old[index];
        if (used.has(candidate) || idOf(candidate) !== null || keyOf(candidate) !== key) continue;
        match = candidate;
        cursor = index + 1;
        break;
      }
    }
    if (match) {
      used.add(match);
      updateNode(match, next, hooks);
      result.push(match);
    } else {
      result.push(document.importNode(next, true));
    }
  }
  for (const node of old) {
    if (!used.has(node) && !(hooks.keep && hooks.keep(node))) node.remove();
  }
  // Put the children in order, moving only those out of place; a kept child stays where it is.
  const placed = new Set(result);
  let position = from.firstChild;
  for (const node of result) {
    while (position && position !== node && !placed.has(position)) position = position.nextSibling;
    if (position === node) {
      position = position.nextSibling;
    } else {
      from.insertBefore(node, position);
    }
  }
}
