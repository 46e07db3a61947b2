// The good / okay / bad board: cards move between the pool and three bins by mouse or
// touch drag (Pointer Events), by the card's buttons, or by keyboard (1/2/3 or G/O/B on a
// focused card; arrow keys, Home and End move the focus). Placements are announced in a
// live region for screen readers.

const KEYS = { 1: "good", g: "good", 2: "okay", o: "okay", 3: "bad", b: "bad" };
const NAMES = { good: "Good", okay: "Okay", bad: "Bad" };
const DRAG_THRESHOLD = 6;
const EDGE = 48;
const SCROLL_STEP = 12; // pixels per animation frame while a dragged card is held at an edge

export function setupBoard(board, { onPlace = () => {}, onChange = () => {} } = {}) {
  const criterion = board.dataset.criterion;
  const announcer = board.querySelector("[data-role=announce]");
  const cards = () => [...board.querySelectorAll(".card")];
  const zones = () => [...board.querySelectorAll(".zone")];
  const binList = (value) =>
    zones().find((zone) => zone.dataset.value === value).querySelector(".cards");
  const number = (card) => Number(card.dataset.handle) + 1;

  function announce(text) {
    if (!announcer) return;
    // Clearing first makes screen readers repeat an identical message.
    announcer.textContent = "";
    window.setTimeout(() => {
      announcer.textContent = text;
    }, 30);
  }

  function describe(card) {
    const text = card.querySelector(".card-text").textContent;
    const where = card.dataset.value ? `In ${NAMES[card.dataset.value]}` : "Not sorted yet";
    card.setAttribute("aria-label", `Response ${number(card)}: ${text}. ${where}.`);
  }

  const poolDone = board.querySelector("[data-role=pool-done]");
  function showPoolDone() {
    if (poolDone) poolDone.hidden = Boolean(board.querySelector(".pool .card"));
  }

  function sortedCount() {
    return cards().filter((card) => card.dataset.value).length;
  }

  function place(card, value) {
    // A dialogue whose bonus check was run is locked: its answers can no longer change.
    if (!NAMES[value] || board.closest("[data-locked]")) return;
    const changed = card.dataset.value !== value;
    binList(value).appendChild(card);
    card.dataset.value = value;
    describe(card);
    announce(
      `Response ${number(card)} placed in ${NAMES[value]}. ` +
        `${sortedCount()} of ${cards().length} sorted.`,
    );
    showPoolDone();
    if (changed) onPlace(Number(card.dataset.handle), criterion, value);
    onChange();
  }

  function focusNextUnsorted(card) {
    const next = board.querySelector(".pool .card");
    (next || card).focus();
  }

  // Keyboard.
  board.addEventListener("keydown", (event) => {
    const card = event.target;
    if (!card.classList || !card.classList.contains("card")) return;
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
    if (KEYS[key]) {
      event.preventDefault();
      place(card, KEYS[key]);
      focusNextUnsorted(card);
      return;
    }
    const all = cards();
    const index = all.indexOf(card);
    const moves = {
      ArrowDown: index + 1,
      ArrowRight: index + 1,
      ArrowUp: index - 1,
      ArrowLeft: index - 1,
      Home: 0,
      End: all.length - 1,
    };
    if (key in moves) {
      event.preventDefault();
      all[Math.max(0, Math.min(all.length - 1, moves[key]))].focus();
    }
  });

  // Buttons on each card (a tap on a phone).
  board.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-place]");
    if (!button) return;
    const card = button.closest(".card");
    place(card, button.dataset.place);
    card.focus({ preventScroll: true });
  });

  // Pointer drag: mouse anywhere on the card; touch and pen by the grip (or anywhere on a
  // sorted card shrunk to its number on a phone), so that a finger on a card still scrolls.
  let drag = null;
  function draggableByTouch(target) {
    if (target.closest(".grip")) return true;
    const grip = target.closest(".card").querySelector(".grip");
    return Boolean(grip) && grip.offsetParent === null; // grip hidden: the card is a chip
  }

  // Held near the top or bottom edge, the page keeps scrolling frame after frame, with no
  // further pointer moves needed.
  // The bottom edge is the fixed bottom bar where there is one (the bins sit just above it).
  function edgeDirection(y) {
    const bar = document.querySelector(".nav-bar");
    const bottomEdge = bar ? bar.getBoundingClientRect().top : window.innerHeight - EDGE;
    if (y < EDGE) return -1;
    if (y > bottomEdge) return 1;
    return 0;
  }

  function autoScroll() {
    if (!drag || !drag.moved) return;
    const direction = edgeDirection(drag.lastY);
    // Bounded by the page as it was when the drag began: the moved card itself makes the
    // page taller, which would otherwise let it scroll on forever.
    const goal = Math.max(0, Math.min(drag.maxScroll, window.scrollY + direction * SCROLL_STEP));
    if (direction && goal !== window.scrollY) {
      const before = window.scrollY;
      window.scrollTo(0, goal);
      if (window.scrollY !== before) {
        follow({ clientX: drag.lastX, clientY: drag.lastY });
        const zone = zoneAt(drag.lastX, drag.lastY);
        highlight(zone && zone.dataset.value ? zone : null);
      }
    }
    drag.frame = window.requestAnimationFrame(autoScroll);
  }

  function zoneAt(x, y) {
    return document
      .elementsFromPoint(x, y)
      .find((node) => node.classList && node.classList.contains("zone") && board.contains(node));
  }

  function highlight(zone) {
    zones().forEach((candidate) => candidate.classList.toggle("over", candidate === zone));
  }

  function follow(event) {
    const dx = event.clientX - drag.x;
    const dy = event.clientY - drag.y + (window.scrollY - drag.scrollY);
    drag.card.style.transform = `translate(${dx}px, ${dy}px)`;
  }

  board.addEventListener("pointerdown", (event) => {
    const card = event.target.closest(".card");
    if (!card || event.button !== 0 || event.target.closest("button")) return;
    if (event.pointerType !== "mouse" && !draggableByTouch(event.target)) return;
    drag = {
      card,
      id: event.pointerId,
      x: event.clientX,
      y: event.clientY,
      scrollY: window.scrollY,
      lastX: event.clientX,
      lastY: event.clientY,
      maxScroll: document.documentElement.scrollHeight - window.innerHeight,
      moved: false,
      frame: 0,
    };
    card.setPointerCapture(event.pointerId);
  });

  board.addEventListener("pointermove", (event) => {
    if (!drag || event.pointerId !== drag.id) return;
    const distance = Math.hypot(event.clientX - drag.x, event.clientY - drag.y);
    if (!drag.moved && distance < DRAG_THRESHOLD) return;
    event.preventDefault();
    drag.lastX = event.clientX;
    drag.lastY = event.clientY;
    if (!drag.moved) {
      drag.moved = true;
      drag.card.classList.add("dragging");
      drag.frame = window.requestAnimationFrame(autoScroll);
    }
    follow(event);
    const zone = zoneAt(event.clientX, event.clientY);
    highlight(zone && zone.dataset.value ? zone : null);
  });

  function finish(event, cancelled) {
    if (!drag || event.pointerId !== drag.id) return;
    const { card, moved, frame } = drag;
    window.cancelAnimationFrame(frame);
    drag = null;
    card.classList.remove("dragging");
    card.style.transform = "";
    highlight(null);
    if (moved && !cancelled) {
      const zone = zoneAt(event.clientX, event.clientY);
      if (zone && zone.dataset.value) place(card, zone.dataset.value);
    }
    card.focus({ preventScroll: true });
  }

  board.addEventListener("pointerup", (event) => finish(event, false));
  board.addEventListener("pointercancel", (event) => finish(event, true));

  // Where the bins stay in view above the bottom bar, the page keeps its scroll padding as
  // tall as they are, so that a focused card (Tab, arrows) scrolls clear of them.
  const bins = board.querySelector(".bins");
  function padForBins() {
    if (getComputedStyle(bins).position !== "sticky") return;
    const bar = document.querySelector(".nav-bar");
    const space = bins.offsetHeight + (bar ? bar.offsetHeight : 0) + 8;
    document.documentElement.style.scrollPaddingBottom = `${space}px`;
  }
  if (bins && window.ResizeObserver) {
    new ResizeObserver(padForBins).observe(bins);
    window.addEventListener("resize", padForBins);
  }

  showPoolDone();

  return {
    complete: () => cards().every((card) => card.dataset.value),
    remaining: () => cards().length - sortedCount(),
    answers: () =>
      cards()
        .filter((card) => card.dataset.value)
        .map((card) => ({
          candidate: Number(card.dataset.handle),
          criterion,
          value: card.dataset.value,
        })),
  };
}
