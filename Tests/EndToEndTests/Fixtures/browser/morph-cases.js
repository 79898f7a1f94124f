// Unit cases of rw dev's morph (Sources/RwBrowser/js/morph.js), run in a page that `rw dev`
// serves: the test runs this file's text with `Browser.runAsync`, which defines `done`; it ends by
// calling `done` with "ok" or the failed cases.

function parse(html) {
  const template = document.createElement("template");
  template.innerHTML = html;
  return template.content.firstElementChild;
}

const failures = [];
function expect(condition, name) {
  if (!condition) failures.push(name);
}

import("/_rw/morph.js").then(({ morph }) => {
  // Matched nodes stay the same objects; text and attributes follow the new tree.
  {
    const from = parse('<div class="a"><p id="p">x</p><span>y</span></div>');
    const [p, span] = from.children;
    morph(from, parse('<div><p id="p">x2</p><span title="t">y</span></div>'));
    expect(from.children[0] === p && from.children[1] === span, "matched nodes stay the same objects");
    expect(p.textContent === "x2" && span.title === "t" && !from.hasAttribute("class"), "text and attributes follow");
  }
  // An element inserted or removed before others does not shift them.
  {
    const from = parse("<div><p>a</p><ul><li>1</li></ul></div>");
    const [p, ul] = from.children;
    morph(from, parse("<div><h2>t</h2><p>a</p><ul><li>1</li></ul></div>"));
    expect(from.children.length === 3 && from.children[1] === p && from.children[2] === ul, "an insertion keeps the rest");
    morph(from, parse("<div><ul><li>1</li><li>2</li></ul></div>"));
    expect(from.children.length === 1 && from.children[0] === ul && ul.textContent === "12", "a removal keeps the rest");
  }
  // Elements with ids are matched by id, wherever they moved.
  {
    const from = parse('<div><i id="x">1</i><b id="y">2</b></div>');
    const [i, b] = from.children;
    morph(from, parse('<div><b id="y">2</b><i id="x">1</i></div>'));
    expect(from.children[0] === b && from.children[1] === i, "moved ids keep their nodes, in the new order");
  }
  // Typed values stay unless the markup's own value changed.
  {
    const from = parse('<form><input name="n" value="a"><input type="checkbox"><textarea>t</textarea></form>');
    const [text, box, area] = from.children;
    text.value = "typed";
    box.checked = true;
    area.value = "written";
    morph(from, parse('<form><input name="n" value="a"><input type="checkbox"><textarea>t</textarea></form>'));
    expect(text.value === "typed" && box.checked && area.value === "written", "typed values stay");
    morph(from, parse('<form><input name="n" value="b"><input type="checkbox"><textarea>u</textarea></form>'));
    expect(text.value === "b" && area.value === "u", "a value changed in the markup wins");
    expect(box.checked, "a checkbox the markup did not change stays checked");
  }
  // An open <details> stays open; hooks leave elements alone.
  {
    const from = parse('<div><details><summary>s</summary>d</details><section data-x="1"><b>kept</b></section><aside>dev</aside></div>');
    const [details, section, aside] = from.children;
    details.open = true;
    morph(from, parse('<div><details><summary>s</summary>d2</details><section data-x="2"><i>new</i></section></div>'), {
      update: (element) => element.localName !== "section",
      keep: (node) => node.localName === "aside",
    });
    expect(details.open && details.textContent === "sd2", "details stays open");
    expect(section.dataset.x === "1" && section.innerHTML === "<b>kept</b>", "update returning false leaves the element");
    expect(from.contains(aside), "keep leaves an unmatched child in place");
  }
  done(failures.length === 0 ? "ok" : failures.join("; "));
}).catch((error) => done(`error: ${error}`));
