// A small client of Sanad's real-time connection (docs/REALTIME.md), in plain Node with the `ws`
// package. It follows one chat, prints every change, keeps the highest `seq` it has seen and, when
// the connection drops, reconnects with back-off and resumes from that number: no gap, no repeat.
//
//   node docs/examples/live-client.mjs <site origin> <bearer token> <chat id>
import { WebSocket } from 'ws';

/**
 * Follows `chatId` until `stop()` is called or the session ends (close code 4401).
 * `onFrame(frame)` receives every `message`, `reset`, `gone` and `error` frame; `onOpen()` is called
 * each time the chat is subscribed (again). Returns `{ send(body, ref), stop(), lastSeq() }`.
 */
export function follow({ origin, token, chatId, since, onFrame = () => {}, onOpen = () => {} }) {
  const url = `${origin.replace(/^http/, 'ws')}/api/v1/live`;
  let last = since; // the highest seq seen; undefined: only what comes from now on
  let socket = null;
  let stopped = false;
  let failures = 0;
  let timer = null;

  function connect() {
    socket = new WebSocket(url, { headers: { authorization: `Bearer ${token}` } });
    socket.on('open', () => {
      socket.send(JSON.stringify({ type: 'subscribe', chatId, ...(last !== undefined ? { since: last } : {}) }));
    });
    socket.on('message', (data) => {
      const frame = JSON.parse(data.toString());
      if (frame.type === 'subscribed') {
        failures = 0;
        last = Math.max(last ?? 0, frame.seq);
        onOpen(frame);
        return;
      }
      if (frame.type === 'message') {
        if (last !== undefined && frame.message.seq <= last) return; // never happens; cheap to check
        last = frame.message.seq;
      }
      onFrame(frame);
    });
    socket.on('close', (code) => {
      socket = null;
      // 4401: the session ended; sign in again. 1003/1007/1009: this client sent something wrong.
      if (stopped || code === 4401 || code === 1003 || code === 1007 || code === 1009) return;
      // 1001 (server going away), 4001 (authorization changed), 1006 (network): reconnect and resume.
      const wait = Math.min(30_000, 1000 * 2 ** failures);
      failures += 1;
      timer = setTimeout(connect, wait);
    });
    socket.on('error', () => {}); // a 'close' always follows
  }

  connect();
  return {
    send(body, ref) {
      socket?.send(JSON.stringify({ type: 'send', chatId, ref, body }));
    },
    lastSeq: () => last,
    stop() {
      stopped = true;
      clearTimeout(timer);
      socket?.close();
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [origin, token, chatId] = process.argv.slice(2);
  if (!origin || !token || !chatId) {
    console.error('usage: node docs/examples/live-client.mjs <site origin> <bearer token> <chat id>');
    process.exit(2);
  }
  follow({
    origin,
    token,
    chatId,
    onOpen: (frame) => console.log(`following ${frame.chatId} from change ${frame.seq}`),
    onFrame: (frame) => {
      if (frame.type === 'message') {
        const { message } = frame;
        const who = message.author?.username ?? message.pseudonym ?? '';
        console.log(`#${message.seq} [${message.kind}] ${who}: ${message.body ?? ''}`);
      } else console.log(JSON.stringify(frame));
    },
  });
}
