// Browser side of the Counter client component.
//
// The count lives in `hot.data`, which `rw dev` keeps for this element when it swaps in an
// edited version of this module, so the count goes on across edits. `dispose` runs on the old
// version first and removes its click listener.
const listeners = new WeakMap();

export function hydrate(element, props, { hot }) {
  const button = element.querySelector("button");
  hot.data.count ??= props.start;
  const show = () => {
    button.textContent = `Clicked ${hot.data.count} times`;
  };
  const click = () => {
    hot.data.count += 1;
    show();
  };
  show();
  button.addEventListener("click", click);
  listeners.set(element, () => button.removeEventListener("click", click));
}

export function dispose(element) {
  listeners.get(element)?.();
  listeners.delete(element);
}
