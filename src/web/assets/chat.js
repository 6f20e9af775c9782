// The chat page, live (ADR 0064): progressive enhancement only, the page works without it. Speaks
// the real-time protocol of docs/REALTIME.md: subscribes from the number the page was rendered at,
// puts new, edited and unsent messages in place from the page's own template, removes messages when
// they expire, sends the composer over the connection when it is open (the form posts otherwise),
// and reconnects with back-off, resuming from the highest number seen. No typing, presence or read
// receipts. New messages are announced politely, never read out.
(() => {
  const list = document.querySelector('ol.transcript[data-live]');
  const template = document.getElementById('message-template');
  if (!list || !template || !('WebSocket' in window)) return;
  const chatId = list.getAttribute('data-chat-id');
  const here = list.getAttribute('data-here');
  const can = (name) => list.hasAttribute(`data-${name}`);
  const announcer = document.getElementById('chat-announce');
  const form = document.getElementById('chat-composer');
  const warnings = JSON.parse(template.getAttribute('data-warnings') || '{}');
  const lang = document.documentElement.lang;
  const time = new Intl.DateTimeFormat(lang, {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZone: 'UTC',
    timeZoneName: 'short',
  });
  const number = new Intl.NumberFormat(lang);
  let seq = Number(list.getAttribute('data-seq')) || 0;
  // The chat's number when the page was rendered: a message posted up to it is on this page or an older one.
  const rendered = seq;
  let socket = null;
  let open = false;
  let delay = 1000;
  let stopped = false;
  let sending = null;

  const slot = (root, name) => root.querySelector(`[data-slot="${name}"]`);
  const drop = (element) => element?.remove();

  /** The sanitiser's HTML of a message body (server output), as nodes. */
  const nodesOf = (html) => Array.from(new DOMParser().parseFromString(html, 'text/html').body.childNodes);

  function build(m) {
    const li = template.content.firstElementChild.cloneNode(true);
    li.id = `m-${m.id}`;
    li.setAttribute('data-seq', String(m.seq));
    li.setAttribute('data-position', String(m.position));
    if (m.expiresAt !== null) li.setAttribute('data-expires', String(m.expiresAt));
    if (m.withheld) {
      li.className = 'message message-withheld';
      li.replaceChildren(Object.assign(document.createElement('p'), { className: 'muted' }));
      li.firstChild.textContent = template.getAttribute('data-not-shown');
      return li;
    }
    if (m.mine) li.classList.add('message-mine');
    const author = slot(li, 'author');
    author.textContent = m.author ? m.author.username : m.pseudonym || '';
    if (m.anonymous) author.classList.add('author-anonymous');
    slot(li, 'yours').hidden = !(m.mine && m.anonymous);
    const when = slot(li, 'time');
    when.setAttribute('datetime', new Date(m.createdAt).toISOString());
    when.textContent = time.format(m.createdAt);
    slot(li, 'edited').hidden = m.editedAt === null;
    const reply = slot(li, 'reply');
    if (m.replyTo) {
      reply.hidden = false;
      slot(li, 'reply-link').setAttribute('href', `#m-${m.replyTo.id}`);
      slot(li, 'reply-author').textContent = m.replyTo.authorName || '';
      const excerpt = slot(li, 'reply-excerpt');
      excerpt.textContent = m.replyTo.excerpt === null ? excerpt.getAttribute('data-gone') : m.replyTo.excerpt;
    } else drop(reply);
    const body = slot(li, 'body');
    body.append(...nodesOf(m.html || ''));
    const warning = slot(li, 'warning');
    if (m.warning) {
      warning.hidden = false;
      slot(li, 'warning-label').textContent = warnings[m.warning.kind] || warnings.other || '';
      slot(li, 'warning-text').textContent = m.warning.text ? ` ${m.warning.text}` : '';
      warning.append(body);
    } else drop(warning);
    const reactions = slot(li, 'reactions');
    reactions.form.setAttribute('action', `/messages/${m.id}/reactions`);
    for (const button of reactions.querySelectorAll('button[data-kind]')) {
      const kind = button.getAttribute('data-kind');
      const count = m.reactions.find((r) => r.kind === kind)?.count || 0;
      const on = m.reacted.includes(kind);
      button.textContent = `${button.getAttribute('data-label')}${count ? ` · ${number.format(count)}` : ''}`;
      button.setAttribute('aria-pressed', on ? 'true' : 'false');
      // Pressed, the button takes the reaction away; not pressed, it adds it (one form per message).
      button.name = on ? 'remove' : 'add';
      if (!can('react') && !count) drop(button);
      else if (!can('react')) button.disabled = true;
    }
    if (!reactions.querySelector('button')) drop(reactions.form);
    const actions = [
      ['reply-action', can('post'), `${here}?reply=${m.id}#composer`],
      ['edit-action', m.mine && can('post'), `/messages/${m.id}/edit`],
      ['unsend-action', m.mine || can('moderate'), `/messages/${m.id}/unsend`],
    ];
    for (const [name, allowed, target] of actions) {
      const item = slot(li, name);
      if (!allowed) drop(item);
      else if (item.querySelector('form')) item.querySelector('form').setAttribute('action', target);
      else item.querySelector('a').setAttribute('href', target);
    }
    if (!actions.some((a) => a[1])) drop(slot(li, 'menu'));
    return li;
  }

  let quiet = 0;
  function announce() {
    if (!announcer) return;
    // Said once for a burst of messages, politely: a count of nothing, never the words.
    window.clearTimeout(quiet);
    announcer.textContent = '';
    quiet = window.setTimeout(() => {
      announcer.textContent = announcer.getAttribute('data-new');
    }, 300);
  }

  /** A timer change is said in the reader's language by the server: its item is taken from the page. */
  function fetchEvent(id) {
    fetch(here, { credentials: 'same-origin' })
      .then((response) => (response.ok ? response.text() : Promise.reject(new Error(String(response.status)))))
      .then((html) => {
        const page = new DOMParser().parseFromString(html, 'text/html');
        const item = page.getElementById(`m-${id}`);
        const timer = page.querySelector('.chat-timer');
        if (item && !document.getElementById(`m-${id}`)) place(document.importNode(item, true));
        const current = document.querySelector('.chat-timer');
        if (timer && current) current.replaceWith(document.importNode(timer, true));
      })
      .catch(() => {});
  }

  /** A new message goes where it was posted, whatever order changes arrive in (a resume sends them by change). */
  function place(item) {
    const position = Number(item.getAttribute('data-position'));
    const later = Array.from(list.querySelectorAll('li[data-position]')).find(
      (li) => Number(li.getAttribute('data-position')) > position,
    );
    if (later) list.insertBefore(item, later);
    else list.append(item);
  }

  function apply(m) {
    if (m.seq > seq) seq = m.seq;
    const existing = document.getElementById(`m-${m.id}`);
    if (m.kind === 'unsent' || (m.expiresAt !== null && m.expiresAt <= Date.now())) return drop(existing);
    if (m.kind === 'timer') return existing || m.position <= rendered ? undefined : fetchEvent(m.id);
    const item = build(m);
    if (existing) {
      // An edit or a reaction: the same place, the reader's open menu or warning kept open.
      for (const name of ['warning', 'menu']) {
        if (slot(existing, name)?.open && slot(item, name)) slot(item, name).open = true;
      }
      existing.replaceWith(item);
      return;
    }
    // A change to a message posted before the page was rendered and not on it (an older page's, say
    // a reaction to it): nothing to show here.
    if (m.position <= rendered) return;
    drop(document.querySelector('p.empty'));
    const nearEnd = window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 200;
    place(item);
    if (nearEnd) item.scrollIntoView({ block: 'nearest' });
    if (!m.mine) announce();
  }

  // Messages leave the page when they expire, as they leave the server.
  window.setInterval(() => {
    const now = Date.now();
    for (const item of list.querySelectorAll('li[data-expires]')) {
      if (Number(item.getAttribute('data-expires')) <= now) item.remove();
    }
  }, 5000);

  function connect() {
    if (stopped) return;
    const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
    socket = new WebSocket(`${scheme}//${window.location.host}/api/v1/live`);
    socket.addEventListener('open', () => {
      socket.send(JSON.stringify({ type: 'subscribe', chatId, since: seq }));
    });
    socket.addEventListener('message', (event) => {
      let frame;
      try {
        frame = JSON.parse(event.data);
      } catch {
        return;
      }
      if (frame.chatId && frame.chatId !== chatId) return;
      switch (frame.type) {
        case 'message':
          apply(frame.message);
          break;
        case 'subscribed':
          open = true;
          delay = 1000;
          // Said on the list itself (no text, no announcement): what tests and styles may read.
          list.setAttribute('data-connected', '1');
          if (frame.seq > seq) seq = frame.seq;
          break;
        case 'reset':
        case 'gone':
          stopped = true;
          socket.close();
          window.location.reload();
          break;
        case 'sent':
          if (sending && frame.ref === sending.ref) sent();
          break;
        case 'error':
          if (sending && frame.ref === sending.ref) {
            // The server says what is wrong beside the field, with the words kept: the form's own post.
            sending = null;
            form.submit();
          } else if (frame.code === 'not_found') {
            stopped = true;
            socket.close();
          }
          break;
      }
    });
    socket.addEventListener('close', (event) => {
      open = false;
      list.removeAttribute('data-connected');
      socket = null;
      sending = null;
      // The session ended: nothing to come back to without signing in again.
      if (event.code === 4401 || stopped) return;
      window.setTimeout(connect, delay);
      delay = Math.min(delay * 2, 30000);
    });
  }

  function sent() {
    sending = null;
    const field = (name) => form.elements.namedItem(name);
    field('body').value = '';
    if (field('warning')) field('warning').value = '';
    if (field('warningText')) field('warningText').value = '';
    if (field('anonymous')) field('anonymous').checked = false;
    drop(form.querySelector('.composer-reply'));
    field('body').focus();
  }

  if (form) {
    form.addEventListener('submit', (event) => {
      if (!open || !socket || socket.readyState !== WebSocket.OPEN) return;
      const field = (name) => form.elements.namedItem(name);
      const value = (name) => (field(name) && 'value' in field(name) ? field(name).value : '');
      if (!value('body').trim()) return;
      event.preventDefault();
      if (sending) return;
      const frame = {
        type: 'send',
        chatId,
        ref: `r${Date.now().toString(36)}${Math.random().toString(36).slice(2)}`,
        body: value('body'),
      };
      if (value('replyToId')) frame.replyToId = value('replyToId');
      if (value('warning')) frame.warning = value('warning');
      if (value('warningText')) frame.warningText = value('warningText');
      if (field('anonymous')?.checked) frame.anonymous = true;
      const text = JSON.stringify(frame);
      // Frames hold at most 16 KiB: a longer message goes by the form.
      if (new Blob([text]).size > 16000) return form.submit();
      sending = frame;
      socket.send(text);
      // No answer in time: the words stay in the box to send again (resuming shows whether it arrived).
      window.setTimeout(() => {
        if (sending === frame) sending = null;
      }, 10000);
    });
  }

  connect();
})();
