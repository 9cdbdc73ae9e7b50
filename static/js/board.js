// Idea boards, progressive enhancement only: without this file every form and the refresh
// link do the same work with page loads.
//  - Polls the board's changing part (ETag → 304 when nothing changed) and swaps it in
//    without touching the idea form, so typed text and focus are kept.
//  - New ideas are announced once per refresh ("3 new ideas"), politely, not one by one.
//  - Votes are sent in the background; the result ("Vote saved, 2 left") is announced and
//    focus stays on the same idea.
(function () {
  "use strict";
  var POLL_MS = 8000;
  var live = document.getElementById("board-live") || document.getElementById("present-live");
  if (!live || !window.fetch) {
    return;
  }
  var announcer = document.getElementById("board-announcer");
  var texts = document.querySelector(".board-live-texts");
  var etag = null;
  var busy = false;

  function text(name, count) {
    var value = texts ? texts.getAttribute("data-text-" + name) || "" : "";
    return value.replace("{n}", String(count));
  }

  function announce(message) {
    if (!announcer || !message) {
      return;
    }
    // Clear first so that the same words twice in a row are read twice.
    announcer.textContent = "";
    window.setTimeout(function () { announcer.textContent = message; }, 100);
  }

  // A notice from the last page load ("Welcome! You have joined the board.") is stale once
  // the person acts on the page: the announcer says what happened now.
  function clearNotices() {
    document.querySelectorAll(".status-region .notice").forEach(function (notice) {
      notice.remove();
    });
  }

  function ideaIds(root) {
    var ids = {};
    root.querySelectorAll("[data-idea-id]").forEach(function (el) {
      ids[el.getAttribute("data-idea-id")] = true;
    });
    return ids;
  }

  function phaseOf(root) {
    var inner = root.querySelector("[data-phase]");
    return inner ? inner.getAttribute("data-phase") : null;
  }

  // Where focus is inside the live region, described so it can be found after the swap.
  function focusMemo() {
    var active = document.activeElement;
    if (!active || !live.contains(active)) {
      return null;
    }
    var card = active.closest("[data-idea-id]");
    return { id: active.id, idea: card ? card.getAttribute("data-idea-id") : null };
  }

  function restoreFocus(memo, preferred) {
    if (!memo) {
      return;
    }
    var candidates = (preferred || []).concat([memo.id]);
    if (memo.idea) {
      candidates.push("vote-" + memo.idea, "unvote-" + memo.idea, "idea-" + memo.idea);
    }
    for (var i = 0; i < candidates.length; i++) {
      var el = candidates[i] && document.getElementById(candidates[i]);
      if (el && live.contains(el)) {
        el.focus({ preventScroll: false });
        return;
      }
    }
  }

  function swap(html, preferredFocus, memo) {
    var before = ideaIds(live);
    var oldPhase = phaseOf(live);
    memo = memo || focusMemo();
    live.innerHTML = html;
    restoreFocus(memo, preferredFocus);
    var added = 0;
    Object.keys(ideaIds(live)).forEach(function (id) {
      if (!before[id]) {
        added += 1;
      }
    });
    if (oldPhase && phaseOf(live) !== oldPhase) {
      announce(text("phase", 0));
    } else if (added === 1) {
      announce(text("new-one", 1));
    } else if (added > 1) {
      announce(text("new-many", added));
    }
  }

  function refresh(force, preferredFocus, memo) {
    if (busy && !force) {
      return Promise.resolve();
    }
    busy = true;
    var headers = { "X-Requested-With": "fetch" };
    if (etag && !force) {
      headers["If-None-Match"] = etag;
    }
    return fetch(live.getAttribute("data-live-url"), {
      headers: headers, cache: "no-store", credentials: "same-origin"
    }).then(function (response) {
      if (response.status === 304 || !response.ok) {
        return null;
      }
      etag = response.headers.get("ETag");
      return response.text();
    }).then(function (html) {
      if (html !== null) {
        swap(html, preferredFocus, memo);
      }
    }).catch(function () { /* offline for a moment: try again at the next tick */ })
      .then(function () { busy = false; });
  }

  // Votes and taking them back, without a page load.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("[data-vote-form]")) {
      return;
    }
    event.preventDefault();
    var button = form.querySelector("button");
    var memo = focusMemo() || { id: button && button.id, idea: null };
    var card = form.closest("[data-idea-id]");
    if (card) {
      memo.idea = card.getAttribute("data-idea-id");
    }
    // Not disabled while sending: a disabled button drops the focus. Ignore double presses.
    if (form.getAttribute("data-busy")) {
      return;
    }
    form.setAttribute("data-busy", "1");
    fetch(form.action, {
      method: "POST", body: new FormData(form), credentials: "same-origin",
      headers: { "X-Requested-With": "fetch", "Accept": "application/json" }
    }).then(function (response) {
      return response.json();
    }).then(function (body) {
      // Refresh first, then announce: the message and the focused button then agree.
      return refresh(true, [button && button.id], memo).then(function () {
        clearNotices();
        announce(body.message);
      });
    }).catch(function () {
      announce(text("error", 0));
    }).then(function () {
      form.removeAttribute("data-busy");
    });
  });

  // After a page load that came back from a form (no JS path), say what happened.
  var notice = document.querySelector(".status-region .notice");
  if (notice && announcer) {
    announce(notice.textContent.trim());
  }
  if (location.hash.indexOf("#idea-") === 0) {
    var target = document.getElementById(location.hash.slice(1));
    if (target) {
      target.focus();
    }
  }

  window.setInterval(function () {
    if (!document.hidden) {
      refresh(false);
    }
  }, POLL_MS);
})();
