#!/usr/bin/env python3
"""Checks an ingested index from the outside (not through bidui):

- every file of every snapshot reconciles: read = accepted + rejected + owner_not_person;
- no raw ID string of the inputs occurs in the LMDB files or in rejected.csv;
- optionally, the accounting equals the generator's expectations (--expect rows.csv).

Reads LMDB through mdb_dump (Debian's lmdb-utils), never through bidui.
"""
import argparse, csv, gzip, io, json, os, re, subprocess, sys, zipfile

ID_RE = re.compile(rb'(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])|(?<![0-9])[0-9]{15}(?![0-9])')


def mdb_dump(index, db):
    """(key, value) pairs of one database, via mdb_dump's hex format."""
    out = subprocess.run(['mdb_dump', '-s', db, index], check=True,
                         capture_output=True).stdout
    lines = out.split(b'\n')
    start = lines.index(b'HEADER=END') + 1
    body = [bytes.fromhex(l[1:].decode()) for l in lines[start:] if l.startswith(b' ')]
    return list(zip(body[0::2], body[1::2]))


def raw_texts(path):
    """Yields the bytes of an input file as the tool sees them (inflated)."""
    data = open(path, 'rb').read()
    if data[:2] == b'\x1f\x8b':
        yield gzip.decompress(data)
    elif data[:4] == b'PK\x03\x04':
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            for n in z.namelist():
                yield z.read(n)
    else:
        yield data


def input_ids(folder):
    ids = set()
    for root, _, files in os.walk(folder):
        for f in files:
            for text in raw_texts(os.path.join(root, f)):
                for m in ID_RE.finditer(text):
                    ids.add(m.group(0))
    return ids


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('index')
    ap.add_argument('rejected')
    ap.add_argument('--samples', help='folder of input files to take raw IDs from')
    ap.add_argument('--expect', help="generator's truth/rows.csv")
    ap.add_argument('--join', action='append', default=[],
                    help='A:B - every key of database A must be a key of database B')
    a = ap.parse_args()
    ok = True
    snaps = {k.decode(): json.loads(v) for k, v in mdb_dump(a.index, 'meta')
             if k.startswith(b'snapshot:')}
    if not snaps:
        print('no snapshots in the index'); return 1
    seen = {}
    for name, s in sorted(snaps.items()):
        for f in s['files']:
            r = f['rows']
            onp = r['skipped'].get('owner_not_person', 0)
            if r['read'] != r['accepted'] + r['rejected_total'] + onp:
                print(f"{f['section']}: read {r['read']} != accepted + rejected + owner_not_person")
                ok = False
            if sum(r['rejected'].values()) != r['rejected_total']:
                print(f"{f['section']}: rejected reasons do not add up"); ok = False
            seen[f['section']] = (f, r)
    # rejected.csv rows = sum of rejected_total
    with open(a.rejected, encoding='utf-8-sig', newline='') as fh:
        rej = list(csv.DictReader(fh))
    total = sum(r['rejected_total'] for _, r in seen.values())
    if len(rej) != total:
        print(f'rejected.csv has {len(rej)} rows, snapshots say {total}'); ok = False
    if a.samples:
        ids = input_ids(a.samples)
        if len(ids) < 50:
            print(f'only {len(ids)} raw IDs found in the inputs: check is too weak'); ok = False
        blobs = [open(os.path.join(root, n), 'rb').read()
                 for root, _, names in os.walk(a.index) for n in names]
        blobs.append(open(a.rejected, 'rb').read())
        # every window of 15 or 18 characters inside any run of ID characters
        found = set()
        for b in blobs:
            for m in re.finditer(rb'[0-9Xx]{15,}', b):
                run = m.group(0)
                for w in (15, 18):
                    for k in range(len(run) - w + 1):
                        found.add(run[k:k + w])
        leaked = sorted(ids & found)
        if leaked:
            print(f'{len(leaked)} raw IDs found in the index or rejected.csv, e.g. {leaked[:3]}')
            ok = False
        print(f'checked {len(ids)} raw ID strings against {len(blobs)} files')
    if a.expect:
        with open(a.expect, encoding='utf-8', newline='') as fh:
            for e in csv.DictReader(fh):
                sec = e['section']
                if sec not in seen:
                    print(f'{sec}: not in the index'); ok = False; continue
                f, r = seen[sec]
                got = {'header_row': f['header_row'], 'read': r['read'], 'accepted': r['accepted']}
                for k in ('id_invalid', 'excel_mangled', 'required_empty', 'date_invalid', 'date_missing'):
                    got[k] = r['rejected'].get(k, 0)
                for k in ('preamble', 'blank', 'footer', 'owner_not_person'):
                    got[k] = r['skipped'].get(k, 0)
                for k, v in got.items():
                    if k in e and e[k] != '' and int(e[k]) != v:
                        print(f'{sec}: {k} expected {e[k]}, got {v}'); ok = False
    meta = dict(mdb_dump(a.index, 'meta'))
    shards = [os.path.join(a.index, d) for d in sorted(os.listdir(a.index)) if d.startswith('shard-')]
    if len(shards) != int(meta[b'shards']):
        print(f"{len(shards)} shard folders, meta says {meta[b'shards']}"); ok = False

    def keys(db):
        """keys of a database over all shards, at its dataset's generation"""
        gen = meta[b'gen:' + db.split('#')[0].encode()].decode()
        out = set()
        for sh in shards:
            try:
                out |= {k for k, _ in mdb_dump(sh, f'{db}@{gen}')}
            except subprocess.CalledProcessError:
                pass  # a shard without this database
        return out
    for j in a.join:
        src, dst = j.split(':')
        dst_keys = keys(dst)
        src_keys = keys(src)
        missing = src_keys - dst_keys
        if not src_keys or missing:
            print(f'{src}: {len(missing)} of {len(src_keys)} keys not in {dst}'); ok = False
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
