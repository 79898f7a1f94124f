// Browser side of the LiveCount client component. It joins the guestbook's channel and shows what
// every other page does, at once: the count after each new post, the post itself at the top of
// the first page's list, and who is typing. While the signed-in visitor types in the page's post
// form, it says so on the channel, at most once every two seconds.
const TYPING_EVERY = 2000;
const TYPING_SHOWN = 3000;

export function hydrate(element, props, { channel, onSocketStatus }) {
  const text = element.querySelector(".live-count");
  // Messages are never deleted, so the highest count heard is the current one, whatever order
  // the announcements of concurrent posts arrive in.
  let count = props.count;
  const show = (value) => {
    count = Math.max(count, value);
    text.textContent = `${count} messages`;
    element.dataset.count = String(count);
  };
  show(props.count);
  const typing = document.createElement("p");
  typing.className = "typing";
  element.append(typing);

  const live = channel("guestbook").join();
  // `data-live` says whether posts reach this page now: "joined", else the socket's status.
  let socketStatus = "closed";
  const showLive = () => (element.dataset.live = live.joined ? "joined" : socketStatus);
  let typingTimer = null;
  const removers = [
    live.on("message", (update) => {
      if (typeof update.count === "number") show(update.count);
      if (update.post) addToList(update.post);
      if (typeof update.typing === "string") {
        typing.textContent = `${update.typing} is typing…`;
        clearTimeout(typingTimer);
        typingTimer = setTimeout(() => (typing.textContent = ""), TYPING_SHOWN);
      }
    }),
    live.on("joined", showLive),
    onSocketStatus((status) => {
      socketStatus = status;
      showLive();
    }),
  ];

  const input = document.querySelector("#post input[name=body]");
  let lastTyping = 0;
  const onInput = () => {
    if (Date.now() - lastTyping < TYPING_EVERY) return;
    lastTyping = Date.now();
    live.send({});
  };
  input?.addEventListener("input", onInput);
  removers.push(() => input?.removeEventListener("input", onInput));
  element.rwDisposeLive = () => {
    clearTimeout(typingTimer);
    typing.remove();
    for (const remove of removers) remove();
  };
}

// The channel stays joined: a new hydration (new props under `rw dev`) keeps the page's socket.
export function dispose(element) {
  element.rwDisposeLive?.();
}

// The page's list shows ten messages, newest first; a new post goes at the top of the first
// page (the server reads a `page` that is not a number above 1 as the first page too).
const PAGE_SIZE = 10;

function addToList(post) {
  const page = Number.parseInt(new URLSearchParams(location.search).get("page") ?? "1", 10);
  const list = document.querySelector("ul.messages");
  if (page > 1 || !list || list.querySelector(`li[data-id="${post.id}"]`)) return;
  const item = document.createElement("li");
  item.dataset.id = String(post.id);
  const author = document.createElement("span");
  author.className = "author";
  author.textContent = post.author;
  const body = document.createElement("span");
  body.className = "body";
  body.textContent = post.body;
  item.append(author, ": ", body);
  list.prepend(item);
  while (list.children.length > PAGE_SIZE) list.lastElementChild.remove();
}
