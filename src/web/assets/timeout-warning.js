// The time-out warning (the GOV.UK / HMPPS timeout warning pattern), progressive enhancement:
// every page already says when the session ends; with scripts on, a modal dialog warns before it,
// counts down, and "Stay signed in" extends the session without leaving the page. When the time is
// up the page is left as it is: a form sent then is kept and put back after signing in again.
const root = document.querySelector('[data-module="app-timeout-warning"]');
if (root && typeof root.showModal === 'function') {
  const endsInMs = Number(root.dataset.endsInMs);
  const warnBeforeMs = Number(root.dataset.warnBeforeMs);
  const keepAliveUrl = root.dataset.keepAliveUrl;
  const token = root.dataset.csrfToken;
  const countdown = root.querySelector('[data-countdown]');
  const before = root.querySelector('[data-before-end]');
  const after = root.querySelector('[data-after-end]');
  const stay = root.querySelector('[data-stay]');
  const close = root.querySelector('[data-close]');
  const endSay = document.querySelector('[data-session-ends-at]');
  let endsAt = Date.now() + endsInMs;
  let timer = null;

  const words = (ms) => {
    const seconds = Math.max(0, Math.ceil(ms / 1000));
    if (seconds >= 60) {
      const minutes = Math.ceil(seconds / 60);
      return `${minutes} minute${minutes === 1 ? '' : 's'}`;
    }
    return `${seconds} second${seconds === 1 ? '' : 's'}`;
  };
  const tick = () => {
    const left = endsAt - Date.now();
    if (left <= 0) {
      before.hidden = true;
      after.hidden = false;
      clearInterval(timer);
      timer = null;
      return;
    }
    // The live region is told at most every 15 seconds, and each second of the last 10 is not.
    const text = words(left);
    if (countdown.textContent !== text && (left < 60_000 ? Math.ceil(left / 1000) % 15 === 0 : true))
      countdown.textContent = text;
  };
  const schedule = () => {
    const untilWarning = endsAt - warnBeforeMs - Date.now();
    setTimeout(
      () => {
        if (Date.now() < endsAt - warnBeforeMs) return schedule();
        before.hidden = false;
        after.hidden = true;
        countdown.textContent = words(endsAt - Date.now());
        if (!root.open) root.showModal();
        timer ??= setInterval(tick, 1000);
      },
      Math.max(0, untilWarning),
    );
  };

  stay.addEventListener('click', async () => {
    try {
      const res = await fetch(keepAliveUrl, {
        method: 'POST',
        headers: { 'x-csrf-token': token },
        credentials: 'same-origin',
      });
      if (!res.ok) throw new Error(String(res.status));
      const body = await res.json();
      endsAt = Date.now() + Number(body.endsInMs);
      if (endSay && body.endsAtWords) endSay.textContent = body.endsAtWords;
      clearInterval(timer);
      timer = null;
      root.close();
      schedule();
    } catch {
      before.hidden = true;
      after.hidden = false;
    }
  });
  close.addEventListener('click', () => root.close());
  schedule();
}
