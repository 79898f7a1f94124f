// RwSDK channels in the browser: `channel("room:lobby")` joins a topic of the app's channels over
// one WebSocket per page (at /_rw/socket), shared by every channel of the page.
//
// While the page has channels, the socket reconnects by itself after any close but a refusal
// (4403; the server's shutdown closes with 1001, going away), waiting longer after each failed attempt (0.5 s doubling up to 30 s, each wait drawn between
// half and all of that, so that many tabs do not come back at the same instant), and rejoins
// every topic it had joined. `onStatus` reports "connecting", "open", "reconnecting" and
// "closed". While a channel is not joined, what it sends waits in a queue of at most
// MAX_QUEUED messages (the oldest is dropped beyond that) and leaves once the join succeeds.

const SOCKET_PATH = "/_rw/socket";
const MAX_QUEUED = 100;
const FIRST_DELAY = 500;
const MAX_DELAY = 30000;
// A socket not open this long after it was asked for is given up and tried again.
const OPEN_TIMEOUT = 10000;
// Closes after which reconnecting is pointless: refused for good.
const FINAL_CLOSES = new Set([4403]);

const channels = new Map();
const statusListeners = new Set();
let socket = null;
let status = "closed";
let attempts = 0;
let reconnectTimer = null;
let nextRef = 1;

function setStatus(next) {
  if (status === next) return;
  status = next;
  for (const listener of statusListeners) listener(next);
}

function socketURL() {
  const url = new URL(SOCKET_PATH, location.href);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  return url;
}

function connect() {
  reconnectTimer = null;
  setStatus(attempts === 0 ? "connecting" : "reconnecting");
  const opened = new WebSocket(socketURL());
  socket = opened;
  const openTimer = setTimeout(() => opened.close(), OPEN_TIMEOUT);
  opened.onopen = () => {
    clearTimeout(openTimer);
    attempts = 0;
    setStatus("open");
    for (const channel of channels.values()) channel._rejoin();
  };
  opened.onmessage = (event) => {
    let frame;
    try {
      frame = JSON.parse(event.data);
    } catch {
      return;
    }
    if (typeof frame?.topic === "string") channels.get(frame.topic)?._receive(frame);
  };
  opened.onclose = (event) => {
    clearTimeout(openTimer);
    if (socket !== opened) return;
    socket = null;
    for (const channel of channels.values()) channel._joined = false;
    if (FINAL_CLOSES.has(event.code) || channels.size === 0) {
      attempts = 0;
      setStatus("closed");
      return;
    }
    const ceiling = Math.min(MAX_DELAY, FIRST_DELAY * 2 ** attempts);
    attempts += 1;
    setStatus("reconnecting");
    reconnectTimer = setTimeout(connect, ceiling / 2 + Math.random() * (ceiling / 2));
  };
}

function ensureSocket() {
  if (socket === null && reconnectTimer === null) connect();
}

function sendFrame(frame) {
  if (socket?.readyState !== WebSocket.OPEN) return false;
  socket.send(JSON.stringify(frame));
  return true;
}

/** One topic of the page's socket. */
class Channel {
  constructor(topic) {
    this.topic = topic;
    this._listeners = { message: new Set(), joined: new Set(), refused: new Set(), error: new Set(), dropped: new Set() };
    this._queue = [];
    this._wanted = false;
    this._joined = false;
  }

  /** Joins the topic (again after every reconnect, until `leave` or a refusal). */
  join() {
    this._wanted = true;
    ensureSocket();
    this._rejoin();
    return this;
  }

  /** Leaves the topic and forgets the channel; the socket closes when no channel is left. */
  leave() {
    if (this._joined) sendFrame({ type: "leave", topic: this.topic });
    this._wanted = false;
    this._joined = false;
    this._queue = [];
    channels.delete(this.topic);
    if (channels.size === 0 && socket) socket.close(1000);
  }

  /** Sends `data` (JSON) to the topic's channel; queued while not joined. Returns whether it left now. */
  send(data) {
    if (this._joined && sendFrame({ type: "message", topic: this.topic, data })) return true;
    if (this._queue.length >= MAX_QUEUED) this._emit("dropped", this._queue.shift());
    this._queue.push(data);
    return false;
  }

  /**
   * Calls `listener` on "message" (the data), "joined", "refused" (the reason), "error" (the
   * reason) or "dropped" (a queued message dropped for the bound). Returns a function removing it.
   */
  on(event, listener) {
    const listeners = this._listeners[event];
    if (!listeners) throw new Error(`rw.channel: no event "${event}"`);
    listeners.add(listener);
    return () => listeners.delete(listener);
  }

  get joined() {
    return this._joined;
  }

  _rejoin() {
    if (this._wanted && !this._joined) sendFrame({ type: "join", topic: this.topic, ref: nextRef++ });
  }

  _receive(frame) {
    switch (frame.type) {
      case "joined":
        this._joined = true;
        for (const data of this._queue.splice(0)) this.send(data);
        this._emit("joined");
        break;
      case "refused":
        this._wanted = false;
        this._emit("refused", frame.reason);
        break;
      case "message":
        this._emit("message", frame.data);
        break;
      case "error":
        this._emit("error", frame.reason);
        break;
    }
  }

  _emit(event, value) {
    for (const listener of this._listeners[event]) {
      try {
        listener(value);
      } catch (error) {
        console.error(`RwSDK: a "${event}" listener of channel ${this.topic} failed`, error);
      }
    }
  }
}

/** The channel of `topic` (one per topic and page); call `join()` on it. */
export function channel(topic) {
  let found = channels.get(topic);
  if (!found) {
    found = new Channel(topic);
    channels.set(topic, found);
  }
  return found;
}

/** Calls `listener` with the socket's status now and on every change; returns a function removing it. */
export function onSocketStatus(listener) {
  statusListeners.add(listener);
  listener(status);
  return () => statusListeners.delete(listener);
}
