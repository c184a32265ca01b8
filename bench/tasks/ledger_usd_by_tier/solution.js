// ---- common ledger helpers (independent reference) ----
function round(x, d) {
  const f = Math.pow(10, d);
  const s = x < 0 ? -1 : 1;
  return s * Math.round(Number((Math.abs(x) * f).toPrecision(12))) / f + 0; // +0 turns -0 into 0
}
// booked date -> 'YYYY-MM-DD'; each source writes it its own way
function bookedISO(src, b) {
  b = String(b).trim();
  let d, m, y;
  if (src === 'us') { [m, d, y] = b.split('/'); }        // MM/DD/YYYY
  else if (src === 'eu') { [d, m, y] = b.split('.'); }   // DD.MM.YYYY
  else if (src === 'uk') { [d, m, y] = b.split('/'); }   // DD/MM/YYYY
  else throw new Error('unknown source ' + src);
  return y + '-' + m.padStart(2, '0') + '-' + d.padStart(2, '0');
}
// amount text -> integer cents
function amountCents(src, a) {
  let s = String(a).trim();
  let neg = false;
  if (s.startsWith('(') && s.endsWith(')')) { neg = true; s = s.slice(1, -1).trim(); }
  if (s.startsWith('-')) { neg = !neg; s = s.slice(1); }
  s = s.replace(/[$£€\s]/g, '');
  if (s.startsWith('-')) { neg = !neg; s = s.slice(1); }
  if (src === 'eu') s = s.replace(/\./g, '').replace(',', '.');   // 1.234,56
  else s = s.replace(/,/g, '');                                     // 1,234.56
  if (!/^\d+(\.\d{1,2})?$/.test(s)) throw new Error('bad amount ' + a);
  const [ip, fp = ''] = s.split('.');
  const c = parseInt(ip, 10) * 100 + parseInt((fp + '00').slice(0, 2), 10);
  return neg ? -c : c;
}
function plainCents(v) {
  let s = String(v).trim(); let neg = false;
  if (s.startsWith('-')) { neg = true; s = s.slice(1); }
  if (!/^\d+(\.\d{1,2})?$/.test(s)) throw new Error('bad plain amount ' + v);
  const [ip, fp = ''] = s.split('.');
  const c = parseInt(ip, 10) * 100 + parseInt((fp + '00').slice(0, 2), 10);
  return neg ? -c : c;
}
// ISO timestamp with Z / ±HH:MM offset -> epoch ms
function instant(t) {
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/.exec(String(t).trim());
  if (!m) throw new Error('bad timestamp ' + t);
  let ms = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +(m[6] || 0));
  const z = m[7] || 'Z';
  if (z !== 'Z') {
    const sg = z[0] === '-' ? -1 : 1;
    const hh = +z.slice(1, 3), mm = +z.slice(-2);
    ms -= sg * (hh * 60 + mm) * 60000;
  }
  return ms;
}
// account key -> canonical 'ACC-00000'
function accKey(a) {
  const s = String(a).trim().toUpperCase();
  const m = /^ACC-?\s*0*(\d+)$/.exec(s);
  if (!m) throw new Error('bad account ' + a);
  return 'ACC-' + m[1].padStart(5, '0');
}
function loadFinal() {
  const txns = readCSV('transactions.csv', { typed: false });
  const corr = readCSV('corrections.csv', { typed: false });
  const latest = new Map();   // txn|field -> {at, value}
  for (const c of corr) {
    const k = String(c.txn_id).trim() + '|' + String(c.field).trim().toLowerCase();
    const at = instant(c.corrected_at);
    const prev = latest.get(k);
    if (!prev || at > prev.at) latest.set(k, { at, value: c.value });
    else if (at === prev.at) throw new Error('tie in corrections ' + k);
  }
  const codes = readCSV('status_codes.csv', { typed: false });
  return txns.map(t => {
    const id = String(t.txn_id).trim();
    const src = String(t.source).trim().toLowerCase();
    const orig = amountCents(src, t.amount);
    const ca = latest.get(id + '|amount');
    const cs = latest.get(id + '|status');
    return {
      id, src, account: t.account, acc: accKey(t.account),
      day: bookedISO(src, t.booked),
      currency: String(t.currency).trim().toUpperCase(),
      orig, amount: ca ? plainCents(ca.value) : orig, amountCorrected: !!ca,
      status: parseInt(cs ? cs.value : t.status, 10),
    };
  });
}
function statusSets() {
  const codes = readCSV('status_codes.csv', { typed: false });
  const settled = new Set(), reversed = new Set();
  for (const c of codes) {
    const label = String(c.label).trim().toLowerCase();
    if (label === 'settled' || label === 'settled_after_review') settled.add(parseInt(c.code, 10));
    if (label === 'reversed') reversed.add(parseInt(c.code, 10));
  }
  if (settled.size !== 2 || reversed.size !== 1) throw new Error('status codes changed');
  return { settled, reversed };
}
function fxTable() {
  const fx = new Map();
  for (const r of readCSV('fx_rates.csv', { typed: false })) fx.set(String(r.month).trim() + '|' + String(r.currency).trim().toUpperCase(), parseFloat(r.usd_per_unit));
  return fx;
}
function usdOf(t, fx) {
  const r = fx.get(t.day.slice(0, 7) + '|' + t.currency);
  if (r === undefined) throw new Error('no rate ' + t.day + ' ' + t.currency);
  return t.amount / 100 * r;
}

// ---- task ----
const { settled } = statusSets();
const fx = fxTable();
const accounts = readCSV('accounts.csv', { typed: false });
const byKey = new Map(accounts.map(a => [accKey(a.account_id), a]));
const T = loadFinal();
const agg = new Map();
for (const a of accounts) { const tier = String(a.tier).trim(); if (!agg.has(tier)) agg.set(tier, { accs: new Set(), usd: 0 }); }
for (const t of T) {
  if (!settled.has(t.status)) continue;
  const a = byKey.get(t.acc);
  if (!a) continue;
  const g = agg.get(String(a.tier).trim());
  g.accs.add(t.acc); g.usd += usdOf(t, fx);
}
const rows = [...agg.keys()].sort().map(k => ({ tier: k, accounts: agg.get(k).accs.size, usd: round(agg.get(k).usd, 2) }));
console.log(JSON.stringify(rows));
