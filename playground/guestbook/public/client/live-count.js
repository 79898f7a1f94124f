// Browser side of the LiveCount client component: shows the count a post by fetch answers at
// once, and asks /count.json every two seconds for posts made elsewhere.
export function hydrate(element, props) {
  const text = element.querySelector(".live-count");
  const show = (count) => { text.textContent = `${count} messages`; element.dataset.count = String(count); };
  show(props.count);
  document.addEventListener("rw:action-result", (event) => {
    const output = document.getElementById(event.target.dataset.rwOutput ?? "");
    try { const result = JSON.parse(output?.textContent ?? ""); if (typeof result.count === "number") show(result.count); } catch {}
  });
  setInterval(async () => {
    try { const response = await fetch("/count.json"); if (response.ok) show((await response.json()).count); } catch {}
  }, 2000);
}
