// Browser side of the Picker client component: each click picks the next group of letters.
export function hydrate(element, props) {
  const button = element.querySelector("#picker");
  const picked = element.querySelector("#picked");
  let clicks = 0;
  button.addEventListener("click", () => {
    const group = props.groups[clicks % props.groups.length];
    clicks += 1;
    picked.textContent = `picked ${group.join("")} (${clicks})`;
  });
}
