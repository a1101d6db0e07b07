import { describe, expect, it } from 'vitest';
import {
  checkSourceUrl, DEFAULT_VIEW, encodeValue, parseFragment, parseTenant, sameCapture, sameView, serializeFragment,
} from './fragment.ts';
import type { ShareState } from './fragment.ts';
import { MAX_FRAGMENT_CHARS } from './limits.ts';

const ok = (frag: string): ShareState => {
  const r = parseFragment(frag);
  if (!r.ok) throw new Error(`expected ${frag} to parse: ${r.error}`);
  return r.value;
};
const err = (frag: string): string => {
  const r = parseFragment(frag);
  if (r.ok) throw new Error(`expected ${frag} to fail`);
  return r.error;
};

describe('parseFragment', () => {
  it('parses the empty fragment as the default view without capture', () => {
    for (const f of ['', '#', '#&', '&&']) expect(ok(f)).toEqual({ capture: null, view: DEFAULT_VIEW });
  });

  it('parses every key', () => {
    expect(ok('#src=https://example.org/caps/x.pcapng&view=tenants&tenant=nvgre:5001&sort=length:desc&frame=12&f=ip.src%20%3D%3D%2010.0.0.1&fold=1')).toEqual({
      capture: { kind: 'src', url: 'https://example.org/caps/x.pcapng' },
      view: { view: 'tenants', tenant: 'nvgre:5001', sort: { column: 'length', desc: true }, frame: 12, filter: 'ip.src == 10.0.0.1', fold: true },
    });
    expect(ok('cap=AbC-_0&view=charts').capture).toEqual({ kind: 'cap', data: 'AbC-_0' });
    // An embedded capture's name, before or after cap; links without it (made before it existed) still open.
    expect(ok('#name=my%20trace.pcap&cap=AbC-_0').capture).toStrictEqual({ kind: 'cap', data: 'AbC-_0', name: 'my trace.pcap' });
    expect(ok('#cap=AbC-_0&name=x.pcapng').capture).toStrictEqual({ kind: 'cap', data: 'AbC-_0', name: 'x.pcapng' });
    expect(ok('#cap=AbC-_0').capture).toStrictEqual({ kind: 'cap', data: 'AbC-_0', name: undefined });
    const sha = 'AB'.repeat(32);
    expect(ok(`#sha256=${sha}&name=my%20file.pcapng&size=1234`).capture).toEqual({ kind: 'fingerprint', sha256: sha.toLowerCase(), name: 'my file.pcapng', size: 1234 });
    expect(ok('#tenant=gre:').view.tenant).toBe('gre:');
    expect(ok('#tenant=vxlan:0').view.tenant).toBe('vxlan:0');
    expect(ok('#tenant=geneve:007').view.tenant).toBe('geneve:7');
    // Tenant ids are up to 32 bits (a GTP-U TEID), not only the 24 of a VSID or VNI.
    expect(ok('#tenant=vxlan:4294967295').view.tenant).toBe('vxlan:4294967295');
    expect(ok('#tenant=nvgre:0016777216').view.tenant).toBe('nvgre:16777216');
    expect(ok('#sort=no:asc').view.sort).toEqual({ column: 'no', desc: false });
    expect(ok('#fold=1').view.fold).toBe(true);
    expect(ok('#f=tcp').view.fold).toBe(false);
    expect(ok('#view=offload&view2=x'.replace('&view2=x', '')).view.view).toBe('offload');
  });

  it('names every problem of a bad fragment in one message', () => {
    const e = err('#frame=abc&view=graph&bogus=1&sort=length&tenant=nvgre:4294967296&fold=yes');
    expect(e).toMatch(/^Invalid link: /);
    expect(e).toMatch(/unknown key "bogus"/);
    expect(e).toMatch(/frame "abc" is not a frame number/);
    expect(e).toMatch(/view "graph" is not one of packets, tenants, offload, charts/);
    expect(e).toMatch(/sort "length" is not <column>:<asc\|desc>/);
    expect(e).toMatch(/fold "yes" is not 1/);
    expect(e).toMatch(/tenant "nvgre:4294967296" is not <encap>:<vnid> \(encap nvgre, vxlan, geneve, gre; vnid 0\.\.4294967295;/);
  });

  it.each([
    ['#frame=0', /frame "0"/],
    ['#frame=-1', /frame "-1"/],
    ['#frame=1e3', /frame "1e3"/],
    ['#frame=99999999999', /frame/],
    ['#frame=1&frame=2', /frame is given more than once/],
    ['#frame', /frame has no value/],
    ['#frame=%E0%A4%A', /frame: bad percent-encoding/],
    ['#sort=bogus:asc', /sort "bogus:asc"/],
    ['#sort=length:up', /sort/],
    ['#tenant=nvgre:', /tenant "nvgre:"/],
    ['#tenant=ipip:1', /tenant "ipip:1"/],
    ['#tenant=nvgre:4294967296', /tenant/],
    ['#tenant=vxlan:99999999999', /tenant/],
    ['#tenant=geneve:-1', /tenant/],
    ['#src=javascript:alert(1)', /src must be an http or https URL, not javascript:/],
    ['#src=file:///etc/passwd', /not file:/],
    ['#src=data:text/html,hi', /not data:/],
    ['#src=blob:https://x/1', /not blob:/],
    ['#src=ftp://x/y', /not ftp:/],
    ['#src=/relative/path.pcap', /not an absolute URL/],
    ['#src=https://user:pw@example.org/x', /user name or password/],
    ['#cap=', /cap \(the embedded capture\) is empty/],
    ['#cap=abc+def', /characters that base64url does not use/],
    ['#cap=abcde', /impossible length/],
    ['#src=https://a/b&cap=AAAA', /one capture/],
    ['#sha256=' + 'a'.repeat(64) + '&name=x&cap=AAAA', /one capture/],
    ['#name=x&size=3&cap=AAAA', /one capture/],
    ['#name=&cap=AAAA', /name must be 1 to 255 characters/],
    ['#name=a%01b&cap=AAAA', /name must be 1 to 255 characters/],
    [`#name=${'n'.repeat(256)}&cap=AAAA`, /name must be 1 to 255 characters/],
    ['#name=x.pcapng', /a fingerprint needs sha256, name and size together \(missing: sha256, size\)/],
    ['#sha256=00&name=x&size=1', /sha256 "00" is not 64 hexadecimal digits/],
    [`#sha256=${'0'.repeat(64)}&size=1`, /missing: name/],
    ['#name=x', /missing: sha256, size/],
    [`#sha256=${'0'.repeat(64)}&name=&size=1`, /name must be/],
    [`#sha256=${'0'.repeat(64)}&name=x&size=-5`, /size "-5"/],
    [`#sha256=${'0'.repeat(64)}&name=a%0Ab&size=1`, /name must be/],
    ['#f=a%00b', /control characters/],
    [`#f=${'x'.repeat(5000)}`, /display filter is too long/],
    [`#src=https://x/${'a'.repeat(5000)}`, /src is too long/],
  ])('refuses %s', (frag, re) => {
    expect(err(frag)).toMatch(re);
  });

  it('refuses a fragment beyond the length limit without looking at it', () => {
    expect(err(`#cap=${'A'.repeat(MAX_FRAGMENT_CHARS + 10)}`)).toMatch(/the link is too long/);
  });

  it('never throws, whatever the input', () => {
    let seed = 1;
    const rnd = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const alphabet = 'abcfrmeviwstnpz=&%#:/0123456789-_.\u0000\u00e9\ud800';
    for (let k = 0; k < 3000; k++) {
      let s = '';
      const n = Math.floor(rnd() * 60);
      for (let i = 0; i < n; i++) s += alphabet[Math.floor(rnd() * alphabet.length)];
      const r = parseFragment(s);
      expect(typeof r.ok).toBe('boolean');
      if (!r.ok) expect(r.error).toMatch(/^Invalid link: .+\.$/);
    }
  });

  it('quotes what it cannot show as typed (long or control characters) without echoing it raw', () => {
    const e = err(`#view=${'%01'.repeat(3)}${'z'.repeat(80)}`);
    expect(e).not.toMatch(/[\u0000-\u001f]/);
    expect(e).toMatch(/…/);
  });
});

describe('serializeFragment', () => {
  const states: ShareState[] = [
    { capture: null, view: DEFAULT_VIEW },
    { capture: { kind: 'src', url: 'https://example.org/a%20b/c.pcapng?x=1&y=2#frag' }, view: { ...DEFAULT_VIEW, view: 'offload' } },
    { capture: { kind: 'cap', data: 'AbCd-_09' }, view: { view: 'tenants', tenant: 'gre:', sort: { column: 'flowId', desc: false }, frame: 3, filter: 'tcp.port == 80 && !(udp) + "é" #x =y ✓', fold: true } },
    { capture: { kind: 'fingerprint', sha256: 'f'.repeat(64), name: 'cap & co = 100%.pcapng', size: 0 }, view: { ...DEFAULT_VIEW, frame: 4294967295 } },
    { capture: { kind: 'cap', data: 'AbCd-_09', name: 'Ünïcode & co = 100% (1).pcapng' }, view: { ...DEFAULT_VIEW, frame: 2 } },
    { capture: null, view: { ...DEFAULT_VIEW, view: 'tenants', tenant: 'geneve:4294967295' } },
    { capture: null, view: { ...DEFAULT_VIEW, tenant: 'nvgre:16777216' } },
    { capture: null, view: { ...DEFAULT_VIEW, fold: true } },
  ];

  it.each(states.map((s, i) => [i, s] as const))('round-trips state %i', (_, s) => {
    const frag = serializeFragment(s);
    expect(parseFragment(frag)).toEqual({ ok: true, value: s });
    // Only characters that survive in a URL fragment, none that chat tools strip from a link's end.
    expect(frag).toMatch(/^(#[A-Za-z0-9\-._~:@/%=&]*)?$/);
  });

  it('leaves defaults out, puts cap last, keeps URLs and tenants readable', () => {
    expect(serializeFragment({ capture: null, view: DEFAULT_VIEW })).toBe('');
    expect(serializeFragment(states[2])).toMatch(/^#view=tenants&tenant=gre:&sort=flowId:asc&frame=3&f=.*&cap=AbCd-_09$/);
    expect(serializeFragment({ capture: { kind: 'src', url: 'https://h/x.pcap' }, view: DEFAULT_VIEW })).toBe('#src=https://h/x.pcap');
    expect(serializeFragment({ capture: { kind: 'cap', data: 'AAAA', name: 'a b.pcap' }, view: { ...DEFAULT_VIEW, frame: 1 } })).toBe('#frame=1&name=a%20b.pcap&cap=AAAA');
  });

  it('encodes delimiters, + and trailing punctuation', () => {
    expect(encodeValue('a&b=c+d e(f)!')).toBe('a%26b%3Dc%2Bd%20e%28f%29%21');
    expect(encodeValue('\ud800x')).toBe('%EF%BF%BDx');
  });
});

describe('helpers', () => {
  it('normalises tenants and source URLs', () => {
    expect(parseTenant('nvgre:5001')).toBe('nvgre:5001');
    expect(parseTenant('NVGRE:5001')).toBeNull();
    expect(parseTenant('vxlan:16777215')).toBe('vxlan:16777215');
    expect(parseTenant('vxlan:16777216')).toBe('vxlan:16777216');
    expect(parseTenant('geneve:4294967295')).toBe('geneve:4294967295');
    expect(parseTenant('geneve:4294967296')).toBeNull();
    expect(checkSourceUrl('HTTPS://Example.org:443/x')).toEqual({ ok: true, value: 'https://example.org/x' });
  });

  it('compares captures and views', () => {
    expect(sameCapture(null, null)).toBe(true);
    expect(sameCapture({ kind: 'src', url: 'https://a/' }, { kind: 'src', url: 'https://a/' })).toBe(true);
    expect(sameCapture({ kind: 'src', url: 'https://a/' }, { kind: 'cap', data: 'x' })).toBe(false);
    expect(sameCapture(null, { kind: 'cap', data: 'x' })).toBe(false);
    expect(sameCapture({ kind: 'cap', data: 'x', name: 'a.pcap' }, { kind: 'cap', data: 'x', name: 'a.pcap' })).toBe(true);
    expect(sameCapture({ kind: 'cap', data: 'x', name: 'a.pcap' }, { kind: 'cap', data: 'x', name: 'b.pcap' })).toBe(false);
    expect(sameCapture({ kind: 'cap', data: 'x', name: 'a.pcap' }, { kind: 'cap', data: 'x' })).toBe(false);
    expect(sameView(DEFAULT_VIEW, { ...DEFAULT_VIEW })).toBe(true);
    expect(sameView(DEFAULT_VIEW, { ...DEFAULT_VIEW, sort: { column: 'no', desc: false } })).toBe(false);
  });
});
