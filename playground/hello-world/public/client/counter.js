// Browser side of the Counter client component.
export function hydrate(element, props) {
  const button = element.querySelector("button");
  let count = props.start;
  button.addEventListener("click", () => {
    count += 1;
    button.textContent = `Clicked ${count} times`;
  });
}
