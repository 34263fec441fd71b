// The staff page: scan a pass QR code with the camera (jsQR) or type it, ask the server whether it is
// valid, redeem perks or points. Offline, the token signature is verified here with the cached public key.
'use strict';

(() => {
  const STORAGE = {
    key: 'walletpasses.staff.key',
    location: 'walletpasses.staff.location',
    popup: 'walletpasses.staff.popup',
    keys: 'walletpasses.staff.barcodeKeys',
    voided: 'walletpasses.staff.voided',
    voidedCursor: 'walletpasses.staff.voidedCursor',
    programs: 'walletpasses.staff.programTags',
    pending: 'walletpasses.staff.pendingRedemptions',
  };
  const REASONS = {
    malformed: 'Not a pass barcode',
    'unknown-key': 'Unknown key: another deployment, or a retired key',
    forged: 'Forged barcode',
    unknown: 'Unknown pass',
    voided: 'Pass voided',
    revoked: 'Pass revoked',
    outdated: 'This is an old copy of the pass: ask the customer to open Wallet',
  };
  const VOIDED_SYNC_MS = 5 * 60 * 1000;
  // The short code printed under the QR (ABCDE-FGHJK): Crockford base32, checked by the server only.
  const SHORT_CODE = /^[0-9A-Za-z -]{10,20}$/;
  const RESCAN_AFTER_MS = 4000;
  const SAFE_RETRY = 'Tapping again is safe: it sends the same request, which is never redeemed twice.';
  const FRAME_INTERVAL_MS = 150;
  const numbers = new Intl.NumberFormat();
  const dates = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  const $ = (id) => document.getElementById(id);

  let stream = null;
  let busy = false;
  let lastScan = { text: '', at: 0 };
  // The pass on screen (its barcode), or null when nothing on screen may be redeemed.
  let current = null;

  // ---- server calls -------------------------------------------------------------------------------

  class NetworkDown extends Error {}

  async function call(path, { method = 'GET', body, headers = {} } = {}) {
    const init = { method, cache: 'no-store', headers: { Authorization: 'Bearer ' + localStorage.getItem(STORAGE.key), ...headers } };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(path, init);
    } catch {
      throw new NetworkDown();
    }
    const json = await response.json().catch(() => ({}));
    return {
      status: response.status,
      ok: response.ok,
      json,
      retryAfter: response.headers.get('Retry-After'),
      replayed: response.headers.get('Idempotent-Replayed') === 'true',
    };
  }

  // ---- idempotency keys of redemptions not answered for sure ---------------------------------------
  // One key per pass and action, kept in sessionStorage until a final answer: when an answer is lost (network,
  // proxy error) a retry, even after a reload, sends the same key and the server replays instead of redeeming twice.
  // The pass is its serial number from the check, not the text entered: the QR scanned first and the code under it
  // typed for the retry are the same pass.

  const pendingKeys = () => JSON.parse(sessionStorage.getItem(STORAGE.pending) || '{}');

  // A key left pending (its answer lost, the customer gone) is reused only for a retry of the same moment: later, the
  // same perk or amount on the same pass is a new redemption, not a replay of the lost one.
  const PENDING_KEY_LIFETIME_MS = 10 * 60 * 1000;

  function idempotencyKeyFor(pass, action) {
    const keys = pendingKeys();
    const id = pass + '\n' + action;
    if (!keys[id] || typeof keys[id] !== 'object' || Date.now() - keys[id].at > PENDING_KEY_LIFETIME_MS) {
      // Not crypto.randomUUID: it exists only in secure contexts, and the page may be opened over plain HTTP on a LAN.
      keys[id] = { key: hex(crypto.getRandomValues(new Uint8Array(16))), at: Date.now() };
    }
    sessionStorage.setItem(STORAGE.pending, JSON.stringify(keys));
    return keys[id].key;
  }

  function settleIdempotencyKey(pass, action) {
    const keys = pendingKeys();
    delete keys[pass + '\n' + action];
    sessionStorage.setItem(STORAGE.pending, JSON.stringify(keys));
  }

  // A 4xx other than 408 and 429 is the server's decision on this request; 5xx, 408, 429 and no answer leave it open.
  const isFinal = (status) => status < 400 || (status < 500 && status !== 408 && status !== 429);

  async function refreshBarcodeKeys() {
    try {
      const response = await fetch('/api/barcode-keys', { cache: 'no-cache' });
      if (response.ok) {
        localStorage.setItem(STORAGE.keys, JSON.stringify((await response.json()).keys));
      }
    } catch {
      // Offline: keep the cached keys.
    }
  }

  // Voided passes, fetched page by page after the last cursor: offline, a voided pass is refused too.
  async function syncVoided() {
    try {
      const voided = new Set(JSON.parse(localStorage.getItem(STORAGE.voided) || '[]'));
      for (;;) {
        const after = localStorage.getItem(STORAGE.voidedCursor) || '';
        const page = await call('/api/staff/voided?after=' + encodeURIComponent(after));
        if (!page.ok) {
          return;
        }
        page.json.serials.forEach((serial) => voided.add(serial));
        localStorage.setItem(STORAGE.voided, JSON.stringify([...voided]));
        localStorage.setItem(STORAGE.voidedCursor, page.json.next);
        // Not on an empty page: the server skips other programs' serials, so a page may be empty yet move the cursor.
        if (page.json.next === after) {
          return;
        }
      }
    } catch {
      // Offline: keep what was synced.
    }
  }

  // ---- offline verification (WebCrypto, ECDSA P-256 over "WP2.<payload>", or "WP1.<payload>" of older passes) --

  function fromBase64Url(text) {
    if (!/^[A-Za-z0-9_-]*$/.test(text)) {
      throw new Error('not base64url');
    }
    const base64 = text.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((text.length + 3) % 4);
    return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  }

  const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

  const toBase64Url = (bytes) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

  // The order n of P-256 (SEC 2, 2.4.2). (r, n - s) verifies as well as (r, s): only s <= n/2 is accepted,
  // and only text that re-encodes to itself (atob forgives unused trailing bits), as on the server.
  const HALF_ORDER = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n / 2n;
  const isCanonical = (text, bytes) => toBase64Url(bytes) === text;
  const isLowS = (signature) => BigInt('0x' + hex(signature.slice(32))) <= HALF_ORDER;

  async function verifyOffline(text) {
    const keys = JSON.parse(localStorage.getItem(STORAGE.keys) || 'null');
    if (!keys || !window.crypto || !crypto.subtle) {
      return { valid: false, reason: 'no-key' };
    }
    // WP2 payloads carry a 4-byte program tag after the key id; WP1 (issued before) none.
    const tagLength = text.startsWith('WP2.') ? 4 : text.startsWith('WP1.') ? 0 : -1;
    if (tagLength < 0 && SHORT_CODE.test(text)) {
      return { valid: false, reason: 'code-offline' };
    }
    const dot = text.lastIndexOf('.');
    if (tagLength < 0 || dot <= 4) {
      return { valid: false, reason: 'malformed' };
    }
    let payload;
    let signature;
    try {
      payload = fromBase64Url(text.slice(4, dot));
      signature = fromBase64Url(text.slice(dot + 1));
    } catch {
      return { valid: false, reason: 'malformed' };
    }
    if (payload.length !== 24 + tagLength || signature.length !== 64
      || !isCanonical(text.slice(4, dot), payload) || !isCanonical(text.slice(dot + 1), signature) || !isLowS(signature)) {
      return { valid: false, reason: 'malformed' };
    }
    const jwk = keys.find((k) => k.kid === hex(payload.slice(0, 4)));
    if (!jwk) {
      return { valid: false, reason: 'unknown-key' };
    }
    const key = await crypto.subtle.importKey('jwk', { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y }, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
    const valid = await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, signature, new TextEncoder().encode(text.slice(0, dot)));
    if (!valid) {
      return { valid: false, reason: 'forged' };
    }
    // Another program's pass is unknown to a key limited to some, as the server answers online (before voided: the
    // voided list holds only the key's programs). 'all': a key of every program; nothing stored: not known yet.
    const programs = JSON.parse(localStorage.getItem(STORAGE.programs) || 'null');
    const tag = tagLength ? hex(payload.slice(4, 8)) : null;
    if (tag && Array.isArray(programs) && !programs.includes(tag)) {
      return { valid: false, reason: 'unknown' };
    }
    const voided = JSON.parse(localStorage.getItem(STORAGE.voided) || '[]');
    if (voided.includes(hex(payload.slice(4 + tagLength, 20 + tagLength)))) {
      return { valid: false, reason: 'voided' };
    }
    return { valid: true, programChecked: programs === 'all' || (tag !== null && Array.isArray(programs)) };
  }

  // The tags (hex) WP2 tokens carry for the key's programs: the first 4 bytes of SHA-256 of the program id.
  async function rememberPrograms(programs) {
    if (!programs) {
      localStorage.setItem(STORAGE.programs, JSON.stringify('all'));
      return;
    }
    if (!window.crypto?.subtle) {
      return; // no offline check without WebCrypto anyway
    }
    const tags = await Promise.all(programs.map(async (id) =>
      hex(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(id)))).slice(0, 8)));
    localStorage.setItem(STORAGE.programs, JSON.stringify(tags));
  }

  // ---- checking a code ----------------------------------------------------------------------------

  async function check(text) {
    const barcode = text.trim();
    if (!barcode || busy) {
      return;
    }
    busy = true;
    setMessage('');
    try {
      let answer = await validate(barcode);
      let notice = '';
      if (answer.status === 400 && answer.json.errors?.popupId && localStorage.getItem(STORAGE.popup)) {
        // The pop-up picked here ended or was removed since the list was loaded: drop it and check without it.
        localStorage.removeItem(STORAGE.popup);
        $('popup').value = '';
        await loadPopups();
        notice = 'The pop-up picked on this device has ended or was removed, so it was cleared and this check was made without it. Pick the pop-up you are at, if any.';
        answer = await validate(barcode);
      }
      if (answer.ok) {
        showValidation(barcode, answer.json);
      } else {
        showCheckRefusal(answer);
      }
      if (notice) {
        setMessage(notice, 'bad');
      }
    } catch (error) {
      if (!(error instanceof NetworkDown)) {
        throw error;
      }
      showOffline(await verifyOffline(barcode));
    } finally {
      busy = false;
    }
  }

  function validate(barcode) {
    const location = localStorage.getItem(STORAGE.location) || undefined;
    const popupId = localStorage.getItem(STORAGE.popup) || undefined;
    return call('/api/validations', { method: 'POST', body: { barcode, location, popupId } });
  }

  // The check itself was refused (rate limit, server or proxy error): nothing about this pass is known, so
  // nothing of the pass shown before may stay on screen to be redeemed.
  function showCheckRefusal(answer) {
    if (answer.status === 401) {
      handleRefusal(answer); // back to set-up, which clears the pass too
      return;
    }
    current = null;
    showResult('bad', 'Not checked');
    $('result-summary').textContent = refusalText(answer) + ' Check the pass again.';
  }

  function showValidation(barcode, validation) {
    current = validation.valid ? { barcode, pass: validation.serialNumber || barcode } : null;
    const result = showResult(validation.valid ? 'ok' : 'bad', validation.valid ? 'Valid' : 'Not valid');
    if (validation.valid) {
      const m = validation.member;
      const perks = validation.perks.map((p) => p.title).join(', ') || 'none';
      $('result-summary').textContent = `${m.tier.name} member - ${m.displayName} - ${numbers.format(m.points)} points - perks: ${perks}`;
      for (const perk of validation.perks) {
        $('perks').append(perkItem(perk));
      }
      $('points-form').hidden = false;
      $('points-form').querySelector('button').disabled = false;
      $('points-amount').max = String(m.points);
    } else {
      $('result-summary').textContent = REASONS[validation.reason] || validation.reason;
    }
    navigator.vibrate?.(validation.valid ? 80 : [80, 60, 80]);
    result.scrollIntoView({ block: 'nearest' });
  }

  function showOffline(verification) {
    current = null;
    if (verification.valid && verification.programChecked) {
      showResult('offline', 'Signature valid - balance not checked');
      $('result-summary').textContent = 'No connection: this is a genuine pass of a program this key works in, but whether it is still active, and its points and perks, could not be checked. Nothing can be redeemed offline.';
    } else if (verification.valid) {
      showResult('offline', 'Signature valid - program and balance not checked');
      $('result-summary').textContent = 'No connection: this is a genuine pass of this deployment, but its barcode is older than barcodes naming their program, so whether it is a pass of a program this key works in, whether it is still active, and its points and perks could not be checked. Nothing can be redeemed offline.';
    } else if (verification.reason === 'no-key') {
      showResult('bad', 'Offline');
      $('result-summary').textContent = 'No connection, and this device has no cached key to check signatures yet.';
    } else if (verification.reason === 'code-offline') {
      showResult('bad', 'Offline');
      $('result-summary').textContent = 'No connection: a typed short code can only be checked online. Scan the QR code instead.';
    } else {
      showResult('bad', 'Not valid');
      $('result-summary').textContent = `${REASONS[verification.reason] || verification.reason} (checked offline)`;
    }
  }

  function showResult(kind, status) {
    const result = $('result');
    result.hidden = false;
    result.className = 'result ' + kind;
    $('result-status').textContent = status;
    $('result-summary').textContent = '';
    $('perks').replaceChildren();
    $('points-form').hidden = true;
    // Read out once the caller has written the summary (synchronously, after this returns): the status and why.
    $('result-announcement').textContent = '';
    queueMicrotask(() => {
      $('result-announcement').textContent = [status, $('result-summary').textContent].filter(Boolean).join('. ');
    });
    return result;
  }

  function perkItem(perk) {
    const item = document.createElement('li');
    const title = document.createElement('span');
    title.textContent = perk.title;
    const button = document.createElement('button');
    button.type = 'button';
    button.dataset.perk = perk.id;
    if (perk.redeemable) {
      button.textContent = 'Redeem';
      button.addEventListener('click', () => redeem(button, 'perk:' + perk.id, { perkId: perk.id }));
    } else {
      button.textContent = perk.redeemedAt ? 'Redeemed ' + dates.format(new Date(perk.redeemedAt)) : 'Redeemed';
      button.disabled = true;
    }
    item.append(title, button);
    return item;
  }

  async function redeem(button, action, request) {
    if (!current) {
      return;
    }
    const { barcode, pass } = current;
    const idempotencyKey = idempotencyKeyFor(pass, action);
    button.disabled = true;
    try {
      const location = localStorage.getItem(STORAGE.location) || undefined;
      const answer = await call('/api/redemptions', {
        method: 'POST',
        headers: { 'Idempotency-Key': idempotencyKey },
        body: { barcode, location, ...request },
      });
      if (isFinal(answer.status)) {
        settleIdempotencyKey(pass, action); // answered: tapping again is a new redemption
      }
      button.disabled = false;
      if (answer.status >= 500 && !answer.json.detail) {
        setMessage(`${refusalText(answer)} It is not known whether this was redeemed. ${SAFE_RETRY}`, 'bad');
        return;
      }
      if (!answer.ok) {
        handleRefusal(answer);
        return;
      }
      const a = answer.json;
      // A replay is the answer to an earlier attempt whose answer was lost: that attempt went through.
      const earlier = answer.replayed ? ' (by the earlier attempt: nothing was redeemed twice)' : '';
      if (a.status === 'redeemed') {
        setMessage(`Redeemed: ${a.perk.title}${earlier}`, 'ok');
        button.textContent = a.perk.redeemable ? 'Redeem again' : 'Redeemed';
        button.disabled = !a.perk.redeemable;
      } else {
        setMessage(`Requested: ${numbers.format(a.points)} points${earlier}. The balance changes when the loyalty system confirms.`, 'ok');
      }
    } catch (error) {
      button.disabled = false;
      if (!(error instanceof NetworkDown)) {
        throw error;
      }
      setMessage(`No connection: it is not known whether this was redeemed. ${SAFE_RETRY}`, 'bad');
    }
  }

  function handleRefusal(answer) {
    if (answer.status === 401) {
      localStorage.removeItem(STORAGE.key);
      showSetup('This staff key is not accepted (revoked or mistyped). Enter a valid key.');
    } else {
      setMessage(refusalText(answer), 'bad');
    }
  }

  function refusalText(answer) {
    const problem = answer.json;
    if (answer.status === 429) {
      return `Too many requests from this device; try again in ${answer.retryAfter || 'a few'} seconds.`;
    }
    if (problem.detail) {
      return problem.detail;
    }
    // A validation problem names what is wrong per field, without a detail.
    const errors = Object.values(problem.errors || {}).flat().join(' ');
    if (errors) {
      return errors;
    }
    // No problem details at all (a proxy's error page, a crash): the server may or may not have acted.
    return answer.status >= 500 ? `The server did not answer properly (${answer.status}).` : problem.title || `Failed (${answer.status}).`;
  }

  function setMessage(text, kind) {
    const message = $('action-message');
    message.textContent = text;
    message.className = 'message ' + (kind || '');
    if (text) {
      $('result').hidden = false;
    }
  }

  // ---- camera -------------------------------------------------------------------------------------

  async function toggleCamera() {
    if (stream) {
      stopCamera();
      return;
    }
    if (!navigator.mediaDevices?.getUserMedia) {
      $('camera-message').textContent = 'The camera needs HTTPS; use the code field below.';
      return;
    }
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: { ideal: 'environment' } }, audio: false });
    } catch (error) {
      $('camera-message').textContent = `No camera (${error.name}); use the code field below.`;
      return;
    }
    const video = $('video');
    video.srcObject = stream;
    video.hidden = false;
    await video.play();
    $('camera-button').textContent = 'Stop camera';
    $('camera-message').textContent = 'Point the camera at the QR code on the pass.';
    scanFrame();
  }

  function stopCamera() {
    stream?.getTracks().forEach((track) => track.stop());
    stream = null;
    $('video').hidden = true;
    $('camera-button').textContent = 'Start camera';
    $('camera-message').textContent = '';
  }

  function scanFrame() {
    if (!stream) {
      return;
    }
    const video = $('video');
    if (!busy && video.readyState >= video.HAVE_CURRENT_DATA && video.videoWidth > 0) {
      // Downscaled frames decode faster and a pass QR code is large in the picture anyway.
      const scale = Math.min(1, 800 / Math.max(video.videoWidth, video.videoHeight));
      const width = Math.round(video.videoWidth * scale);
      const height = Math.round(video.videoHeight * scale);
      const canvas = $('frame');
      canvas.width = width;
      canvas.height = height;
      const context = canvas.getContext('2d', { willReadFrequently: true });
      context.drawImage(video, 0, 0, width, height);
      const code = jsQR(context.getImageData(0, 0, width, height).data, width, height, { inversionAttempts: 'attemptBoth' });
      const now = Date.now();
      if (code?.data) {
        // A pass held in view is checked once; it is checked again only after it was out of view for a while.
        const seenJustNow = code.data === lastScan.text && now - lastScan.at < RESCAN_AFTER_MS;
        lastScan = { text: code.data, at: now };
        if (!seenJustNow) {
          check(code.data);
        }
      }
    }
    setTimeout(scanFrame, FRAME_INTERVAL_MS);
  }

  // ---- set-up -------------------------------------------------------------------------------------

  function showSetup(error) {
    current = null;
    $('result').hidden = true;
    $('setup').hidden = false;
    $('forget-key').hidden = !localStorage.getItem(STORAGE.key);
    $('scanner').hidden = true;
    $('settings-button').hidden = true;
    $('location').value = localStorage.getItem(STORAGE.location) || '';
    $('setup-error').textContent = error || '';
    stopCamera();
    $('staff-key').focus();
  }

  function showScanner(name) {
    $('setup').hidden = true;
    $('scanner').hidden = false;
    $('settings-button').hidden = false;
    const location = localStorage.getItem(STORAGE.location);
    $('who').textContent = [name, location].filter(Boolean).join(' @ ');
  }

  async function saveSetup(event) {
    event.preventDefault();
    const key = $('staff-key').value.trim();
    if (key !== localStorage.getItem(STORAGE.key)) {
      forgetVoided();
    }
    localStorage.setItem(STORAGE.key, key);
    const location = $('location').value.trim();
    if (location) {
      localStorage.setItem(STORAGE.location, location);
    } else {
      localStorage.removeItem(STORAGE.location);
    }
    $('staff-key').value = '';
    await start();
  }

  // The server lists only the voided passes of the key's programs: another key syncs its own list (and programs) from the start.
  function forgetVoided() {
    localStorage.removeItem(STORAGE.voided);
    localStorage.removeItem(STORAGE.voidedCursor);
    localStorage.removeItem(STORAGE.programs);
  }

  function forgetKey() {
    localStorage.removeItem(STORAGE.key);
    sessionStorage.removeItem(STORAGE.pending);
    forgetVoided();
    showSetup();
  }

  async function start() {
    if (!localStorage.getItem(STORAGE.key)) {
      showSetup();
      return;
    }
    refreshBarcodeKeys();
    try {
      const me = await call('/api/staff/me');
      if (me.status === 401) {
        localStorage.removeItem(STORAGE.key);
        showSetup('This staff key is not accepted (revoked or mistyped).');
        return;
      }
      if (me.ok) {
        await rememberPrograms(me.json.programs); // before the scanner shows: a check from then on knows them
      }
      showScanner(me.json.name);
      await loadPopups();
      await syncVoided();
    } catch {
      showScanner(''); // offline: the saved key is used once the network is back
    }
  }

  // The pop-ups announced or open now: staff pick the one they are at, and each scan records it.
  async function loadPopups() {
    let answer;
    try {
      answer = await call('/api/staff/popups');
    } catch {
      return; // offline: the pop-up picked before stays
    }
    if (!answer.ok) {
      return;
    }
    const select = $('popup');
    const chosen = localStorage.getItem(STORAGE.popup) || '';
    select.replaceChildren(new Option('Not at a pop-up', ''));
    for (const popup of answer.json.popups) {
      select.add(new Option(`${popup.name} (${popup.address})`, popup.id));
    }
    select.value = answer.json.popups.some((popup) => popup.id === chosen) ? chosen : '';
    rememberPopup();
  }

  function rememberPopup() {
    const popupId = $('popup').value;
    if (popupId) {
      localStorage.setItem(STORAGE.popup, popupId);
    } else {
      localStorage.removeItem(STORAGE.popup);
    }
  }

  function showNetwork() {
    $('network').hidden = navigator.onLine;
  }

  $('setup-form').addEventListener('submit', saveSetup);
  $('popup').addEventListener('change', rememberPopup);
  $('settings-button').addEventListener('click', () => showSetup());
  $('forget-key').addEventListener('click', forgetKey);
  $('camera-button').addEventListener('click', toggleCamera);
  $('manual-form').addEventListener('submit', (event) => {
    event.preventDefault();
    check($('manual-code').value);
  });
  $('points-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const points = Number($('points-amount').value);
    redeem(event.submitter || $('points-form').querySelector('button'), 'points:' + points, { points });
  });
  // The page opens without network once it was loaded here (see sw.js); without support it still works online.
  navigator.serviceWorker?.register('/api/staff/sw.js', { scope: '/api/staff' }).catch(() => {});
  window.addEventListener('online', showNetwork);
  window.addEventListener('online', syncVoided);
  // Key rotations reach long-open pages too: a new key before it signs, a retired one dropped.
  window.addEventListener('online', refreshBarcodeKeys);
  setInterval(() => {
    if (localStorage.getItem(STORAGE.key)) {
      syncVoided();
      refreshBarcodeKeys();
    }
  }, VOIDED_SYNC_MS);
  window.addEventListener('offline', showNetwork);
  showNetwork();
  start();
})();
