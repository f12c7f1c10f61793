#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The doc comments of the public headers, read once, given three ways.

The headers use the kernel-doc layout (``name - summary``, ``@param:``
lines, a ``Returns ...`` paragraph, ``@since``). This script turns that into

  filter HEADER            Doxygen syntax on stdout, line for line (the
                           INPUT_FILTER of doc/Doxyfile.in), so Doxygen's
                           warnings point at the real lines;
  man OUTDIR HEADER...     one section-3 page per header, loopback-NAME.3,
                           whose NAME line lists every function of it;
  names HEADER...          "PAGE FUNCTION" lines (the aliases meson installs);
  doxygen DOXYGEN DOXYFILE OUTDIR SYMFILE
                           run Doxygen afresh into OUTDIR, print its warnings
                           and fail on any, then run the xml check below;
  xml SYMFILE XMLDIR       exit 1 unless Doxygen's XML output documents every
                           symbol of SYMFILE as a function with a brief
                           description (what the reference really shows);
  check SYMFILE HEADER...  exit 1 unless every symbol of the linker version
                           script has a doc comment with a summary and @since,
                           and every documented function is in SYMFILE.

Standard library only: it runs at build time wherever meson runs.
"""
from __future__ import annotations

import datetime
import os
import re
import sys
from typing import Dict, List, Optional, Tuple

DEF_RE = re.compile(r'^#\s*define\s+(\w+)')
NAME_RE = re.compile(r'^(?:(struct|enum|union)\s+)?(\w+)\s+-\s+(.*)$')
PARAM_RE = re.compile(r'^@(\w+):\s*(.*)$')
SINCE_RE = re.compile(r'@since\s+(\S+)')
FUNC_RE = re.compile(r'(\w+)\s*\(')
MEMBER_RE = re.compile(r'^\s+[^;(){}]*?\b(\w+)\s*(\[[^\]]*\])?\s*;')


def strip_comment(lines: List[str]) -> List[str]:
    """The text of a /* */ or /** */ comment, one entry per line."""
    out = []
    for i, line in enumerate(lines):
        s = line.strip()
        if i == 0:
            s = re.sub(r'^/\*\*?', '', s)
        if s.endswith('*/'):
            s = s[:-2]
        s = s.rstrip()
        if i > 0 and s.startswith('*'):
            s = s[1:]
            if s.startswith(' '):
                s = s[1:]
        out.append(s.rstrip())
    return out


class Item:
    """One documented declaration: function, struct or typedef."""

    def __init__(self, kind: str, name: str, summary: str):
        self.kind = kind            # 'function', 'struct', 'type'
        self.name = name
        self.summary = summary
        self.params: List[Tuple[str, str]] = []
        self.body: List[List[str]] = []     # paragraphs (lists of lines)
        self.returns: List[str] = []
        self.since: Optional[str] = None
        self.decl: List[str] = []


class Header:
    def __init__(self, path: str):
        self.path = path
        self.include = 'loopback/' + os.path.basename(path) \
            if os.path.basename(os.path.dirname(path)) == 'loopback' \
            else os.path.basename(path)
        self.title = ''
        self.intro: List[str] = []
        self.items: List[Item] = []
        self.consts: List[List[str]] = []   # groups of raw lines
        with open(path, encoding='utf-8') as f:
            self.lines = f.read().split('\n')
        self._parse()

    def functions(self) -> List[Item]:
        return [i for i in self.items if i.kind == 'function']

    def _parse(self) -> None:
        lines = self.lines
        n = len(lines)
        i = 0
        group: List[str] = []
        guard = None
        while i < n:
            line = lines[i]
            s = line.strip()
            if s.startswith('/**') and not s.startswith('/**/'):
                j = i
                while '*/' not in lines[j]:
                    j += 1
                text = strip_comment(lines[i:j + 1])
                k = j + 1
                decl = []
                depth = 0
                while k < n:
                    decl.append(lines[k])
                    depth += lines[k].count('{') - lines[k].count('}')
                    if depth <= 0 and lines[k].rstrip().endswith(';'):
                        break
                    k += 1
                self.items.append(self._item(text, decl))
                self._flush(group)
                group = []
                i = k + 1
                continue
            if s.startswith('/*') and 'SPDX' not in s:
                j = i
                while '*/' not in lines[j]:
                    j += 1
                text = strip_comment(lines[i:j + 1])
                if not self.title and s == '/*':
                    self._intro(text)
                elif j + 1 < n and DEF_RE.match(lines[j + 1].strip()):
                    self._flush(group)
                    group = lines[i:j + 1]
                i = j + 1
                continue
            m = DEF_RE.match(s)
            if m:
                name = m.group(1)
                if guard is None and name.startswith('LOOPBACK_') and name.endswith('_H'):
                    guard = name
                elif name != 'LB_EXPORT' and not s.startswith('#  '):
                    group.append(line)
                    while lines[i].rstrip().endswith('\\') or \
                            ('/*' in lines[i] and '*/' not in lines[i]):
                        i += 1
                        group.append(lines[i])
                i += 1
                continue
            # A blank line ends a run of constants (a heading comment
            # without constants yet waits for them); code ends both.
            if not s.startswith('#') and (s or any(DEF_RE.match(g.strip()) for g in group)):
                self._flush(group)
                group = []
            i += 1
        self._flush(group)

    def _flush(self, group: List[str]) -> None:
        if any(DEF_RE.match(g.strip()) for g in group):
            self.consts.append(list(group))

    def _intro(self, text: List[str]) -> None:
        first = text[0] if text and text[0] else (text[1] if len(text) > 1 else '')
        rest = text[1:] if text and text[0] else text[2:]
        m = re.match(r'^[\w/.]+:\s*(.*)$', first)
        self.title = m.group(1) if m else first
        # The title may run on to the next lines, up to the first blank.
        while rest and rest[0] and not rest[0].startswith(' '):
            self.title += ' ' + rest[0].strip()
            rest = rest[1:]
        self.intro = rest

    def _item(self, text: List[str], decl: List[str]) -> Item:
        # A one-line comment: "name - summary. @since X".
        while text and not text[0].strip():
            text = text[1:]
        first = text[0].strip() if text else ''
        since = None
        m = SINCE_RE.search(first)
        if m:
            since = m.group(1)
            first = first[:m.start()].rstrip()
        m = NAME_RE.match(first)
        if m:
            name, summary = m.group(2), m.group(3)
        else:
            name, summary = '', first
        d = ' '.join(x.strip() for x in decl)
        if d.startswith('typedef struct') and '{' in d:
            kind = 'struct'
        elif d.startswith('typedef'):
            kind = 'type'
        else:
            kind = 'function'
            fm = FUNC_RE.search(d.split('(')[0] + '(')
            if fm:
                name = name or fm.group(1)
        item = Item(kind, name, summary)
        item.decl = decl
        item.since = since
        para: List[str] = []
        target = 'body'
        for line in text[1:]:
            st = line.strip()
            sm = SINCE_RE.match(st)
            if sm:
                item.since = sm.group(1)
                continue
            pm = PARAM_RE.match(st)
            if pm and not para and target in ('body', 'param') and not item.body:
                item.params.append((pm.group(1), pm.group(2)))
                target = 'param'
                continue
            if target == 'param' and st and line.startswith(' '):
                name_, desc = item.params[-1]
                item.params[-1] = (name_, desc + ' ' + st)
                continue
            if not st:
                if para:
                    if target == 'returns':
                        item.returns.extend(para)
                    else:
                        item.body.append(para)
                    para = []
                target = 'body'
                continue
            if st.startswith('Returns') and not para:
                target = 'returns'
            para.append(line)
        if para:
            if target == 'returns':
                item.returns.extend(para)
            else:
                item.body.append(para)
        return item


# ---------------------------------------------------------------- Doxygen

DOX_KEEP = {'since', 'param', 'return', 'brief', 'file', 'p', 'name'}


def dox_text(s: str) -> str:
    """Prose for Doxygen: escape what it would read as markup."""
    s = s.replace('\\', '\\\\')
    for c in '<>%#&$':
        s = s.replace(c, '\\' + c)
    s = s.replace('::', '\\::')
    # @word refers to a parameter or member (kernel-doc); user@ is a literal.
    s = re.sub(r'@(\w+)', lambda m: '@' + m.group(1) if m.group(1) in DOX_KEEP
               else '@p ' + m.group(1), s)
    s = re.sub(r'(?<=\w)@(?!p )', r'\\@', s)
    return s


def doxygen_filter(path: str) -> str:
    with open(path, encoding='utf-8') as f:
        lines = f.read().split('\n')
    out = list(lines)
    n = len(lines)
    i = 0
    seen_intro = False
    in_group = False
    group_text = ''
    last_def = -1
    while i < n:
        line = lines[i]
        s = line.strip()
        if s.startswith('/**'):
            if in_group:
                out[last_def + 1] = '/** @} */ ' + out[last_def + 1]
                in_group = False
                group_text = ''
            j = i
            while '*/' not in lines[j]:
                j += 1
            k = j + 1
            depth = 0
            while k < n:
                depth += lines[k].count('{') - lines[k].count('}')
                if depth <= 0 and lines[k].rstrip().endswith(';'):
                    break
                k += 1
            is_struct = '{' in ' '.join(lines[j + 1:k + 1])
            members: Dict[str, str] = {}
            cur = None
            for x in range(i, j + 1):
                body = lines[x]
                m = re.match(r'^(\s*/\*\*\s*|\s*\*\s?)(.*?)(\s*\*/\s*)?$', body)
                lead, text, tail = m.group(1), m.group(2), m.group(3) or ''
                nm = NAME_RE.match(re.sub(r'\s*@since.*', '', text))
                pm = PARAM_RE.match(text)
                if x == i and not text:
                    continue
                if nm and (x == i or x == i + 1) and not text.startswith('@'):
                    summ = text.split(' - ', 1)[1]
                    out[x] = lead + '@brief ' + dox_text(summ) + tail
                    cur = None
                elif pm and is_struct:
                    members[pm.group(1)] = pm.group(2)
                    cur = pm.group(1)
                    out[x] = lead.rstrip() + tail
                elif pm:
                    out[x] = lead + '@param ' + pm.group(1) + ' ' + dox_text(pm.group(2)) + tail
                    cur = None
                elif cur and text.startswith(' ') and text.strip():
                    members[cur] += ' ' + text.strip()
                    out[x] = lead.rstrip() + tail
                elif text.startswith('Returns '):
                    out[x] = lead + '@return ' + dox_text(text[len('Returns '):]) + tail
                    cur = None
                else:
                    out[x] = lead + dox_text(text) + tail
                    if not text.strip():
                        cur = None
            if is_struct:
                for y in range(j + 1, k + 1):
                    mm = MEMBER_RE.match(lines[y])
                    if mm and mm.group(1) in members:
                        out[y] = lines[y] + ' /**< ' + dox_text(members[mm.group(1)]) + ' */'
            i = k + 1
            continue
        if s.startswith('/*') and 'SPDX' not in s:
            j = i
            while '*/' not in lines[j]:
                j += 1
            if not seen_intro and s == '/*':
                seen_intro = True
                out[i] = '/** @file'
                text = strip_comment(lines[i:j + 1])
                # Code: a run of indented lines that follows a blank line
                # (indented list items and their continuations are prose).
                code = []
                for k, t in enumerate(text):
                    indented = bool(re.match(r'^  +(?!- )\S', t))
                    code.append(indented and k > 0 and (code[k - 1] or not text[k - 1]))
                for x in range(i + 1, j + 1):
                    t = text[x - i]
                    if x == j:
                        out[x] = (' * @endcode' if code[x - 1 - i] else '') + ' */'
                    elif code[x - i]:
                        # An indented example: verbatim, between the blank
                        # lines around it (which carry @code/@endcode).
                        out[x] = ' * ' + t
                    elif not t and x + 1 < j and code[x + 1 - i]:
                        out[x] = ' * @code'
                    elif not t and code[x - 1 - i]:
                        out[x] = ' * @endcode'
                    else:
                        out[x] = (' * ' + dox_text(t)).rstrip()
            elif j + 1 < n and DEF_RE.match(lines[j + 1].strip()):
                # A comment heading a run of #defines: a member group
                # titled by it; a constant without a comment of its own
                # is documented by the group's text.
                text = ' '.join(t.strip() for t in strip_comment(lines[i:j + 1])).strip()
                group_text = dox_text(text)
                out[i] = '/** @name ' + dox_text(text.split('. ')[0].rstrip('.:')) + ' */'
                for x in range(i + 1, j + 1):
                    out[x] = ''
                out[j] += '/** @{ */'
                if in_group:
                    out[last_def + 1] = '/** @} */ ' + out[last_def + 1]
                in_group = True
            i = j + 1
            continue
        m = DEF_RE.match(s)
        if m and not (m.group(1).startswith('LOOPBACK_') and m.group(1).endswith('_H')) \
                and m.group(1) != 'LB_EXPORT':
            c = line.find('/*')
            if c < 0 and in_group and group_text:
                end = i
                while lines[end].rstrip().endswith('\\'):
                    end += 1
                out[end] = lines[end] + ' /**< ' + group_text + ' */'
            if c >= 0:
                close = line.find('*/', c)
                txt = line[c + 2:close if close >= 0 else len(line)].strip()
                out[i] = line[:c] + '/**< ' + dox_text(txt) + (' */' if close >= 0 else '')
                while close < 0:
                    i += 1
                    close = lines[i].find('*/')
                    t = lines[i][:close if close >= 0 else len(lines[i])].strip()
                    out[i] = ' ' + dox_text(t) + (' */' if close >= 0 else '')
            while lines[i].rstrip().endswith('\\'):
                i += 1
            last_def = i
            i += 1
            continue
        if in_group and (not s.startswith('#') or s.startswith('#endif')) and s:
            out[last_def + 1] = '/** @} */ ' + out[last_def + 1]
            in_group = False
            group_text = ''
        i += 1
    if in_group:
        out[last_def + 1] = '/** @} */ ' + out[last_def + 1]
    return '\n'.join(out)


# ---------------------------------------------------------------- man

def roff(s: str) -> str:
    s = s.replace('\\', '\\e')
    s = s.replace('-', '\\-')
    s = re.sub(r'@(\w+)', r'\\fI\1\\fP', s)
    return s


def roff_line(s: str) -> str:
    s = roff(s)
    if s.startswith(('.', "'")):
        s = '\\&' + s
    return s


def man_paragraphs(lines: List[str]) -> List[str]:
    """Prose lines to roff: indented runs are examples (.EX), '- ' items
    become an indented list, blank lines break paragraphs."""
    out: List[str] = []
    i = 0
    pending_pp = False
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            pending_pp = True
            i += 1
            continue
        if line.startswith('  ') and not re.match(r'^\s+- ', line):
            out += ['.PP', '.in +4n', '.EX']
            while i < len(lines) and (lines[i].startswith('  ') or not lines[i].strip()) \
                    and not re.match(r'^\s+- ', lines[i]):
                if lines[i].strip() or (i + 1 < len(lines) and lines[i + 1].startswith('  ')):
                    out.append(roff_line(lines[i][2:].rstrip()))
                i += 1
            out += ['.EE', '.in']
            pending_pp = True
            continue
        if re.match(r'^\s*- ', line):
            out += ['.IP \\(bu 2', roff_line(re.sub(r'^\s*- ', '', line))]
            i += 1
            while i < len(lines) and lines[i].strip() and not re.match(r'^\s*- ', lines[i]):
                out.append(roff_line(lines[i].strip()))
                i += 1
            pending_pp = True
            continue
        if pending_pp or not out:
            out.append('.PP')
            pending_pp = False
        out.append(roff_line(line.strip()))
        i += 1
    return out


OVERVIEW = '''\
libloopback answers the questions met around an address such as
127.0.0.1:62893: what this endpoint is (strict parsing, formatting and
classification), which port can be used without racing other processes
(picks outside the ephemeral range, leased until released or until the
holder exits), whether an address can be bound and if not who is in the
way, and which processes hold a port.

Every function returns 0 (or a documented non-negative value) or a
negative LB_E* code that lb_strerror() describes. Out-parameters are
last, named ret_*, and written only on success. What *_new or *_get
returns is freed with the matching *_free, and *_free(NULL) does nothing.
The library never prints, exits or installs signal handlers, and keeps no
global mutable state.'''.split('\n')


def page_name(h: Header) -> str:
    base = os.path.splitext(os.path.basename(h.path))[0]
    return 'libloopback' if base == 'loopback' else 'loopback-' + base


def decl_text(item: Item) -> List[str]:
    text = '\n'.join(item.decl).replace('LB_EXPORT ', '')
    text = re.sub(r'\s*\n\s+', ' ', text) if item.kind == 'function' else text
    return text.split('\n')


def man_page(h: Header, date: str, version: str, pages: List[Tuple[str, str]]) -> str:
    name = page_name(h)
    funcs = h.functions()
    o = ['.\\" SPDX-License-Identifier: MIT',
         '.\\" Generated from include/%s by doc/kdoc.py: edit the header, not this page.' % h.include,
         '.TH %s 3 %s "libloopback %s" "libloopback Manual"' % (name.upper(), date, version),
         '.SH NAME']
    title = h.title.rstrip('.')
    if name == 'libloopback':
        title = 'parse endpoints, pick and lease ports, find who holds a port'
    names = [name] if not funcs else [f.name for f in funcs]
    if name != 'libloopback' and funcs:
        names = [name] + names
    # No hyphenation inside function names.
    o += ['.nh', roff(', '.join(names)) + ' \\- ' + roff(title), '.hy']
    o += ['.SH SYNOPSIS', '.nf', '.B #include <%s>' % h.include]
    if funcs:
        o.append('.PP')
        for f in funcs:
            for d in decl_text(f):
                o.append('.BI "' + d.strip().replace('\\', '\\e').replace('"', '\\(dq') + '"')
    o.append('.fi')
    o.append('.PP')
    o.append('Link with \\fI\\-lloopback\\fP (\\fBpkg\\-config \\-\\-cflags \\-\\-libs loopback\\fP).')
    if h.intro or name == 'libloopback':
        o.append('.SH DESCRIPTION')
        o += man_paragraphs(h.intro) if h.intro else []
    if name == 'libloopback':
        o += man_paragraphs(OVERVIEW)
        o += ['.PP', 'Each header has its own page, which every function of the header also names'
              ' (so that \\fBman lb_port_pick\\fP shows \\fBloopback\\-pick\\fP(3)):']
        for p, t in pages:
            if p != name:
                o += ['.TP', '.BR %s (3)' % p, roff(t)]
    types = [t for t in h.items if t.kind != 'function']
    if types or h.consts:
        o.append('.SH TYPES AND CONSTANTS')
        for t in types:
            o += ['.SS %s' % roff(t.name), '.PP', roff(t.summary)]
            o += ['.PP', '.in +4n', '.EX'] + [roff_line(d) for d in decl_text(t)] + ['.EE', '.in']
            for p, d in t.params:
                o += ['.TP', '.I %s' % p, roff(d)]
            for para in t.body:
                o += man_paragraphs(para)
            if t.since:
                o += ['.PP', 'Since %s.' % t.since]
        for g in h.consts:
            o += ['.PP', '.in +4n', '.EX'] + [roff_line(x.rstrip()) for x in g] + ['.EE', '.in']
    if funcs:
        o.append('.SH FUNCTIONS')
        for f in funcs:
            o += ['.SS %s()' % roff(f.name)]
            o += ['.PP', roff(f.summary[:1].upper() + f.summary[1:]) +
                  ('' if f.summary.endswith('.') else '.')]
            if f.params:
                for p, d in f.params:
                    o += ['.TP', '.I %s' % p, roff(d)]
            for para in f.body:
                o += man_paragraphs(para)
            if f.returns:
                o += man_paragraphs(f.returns)
            if f.since:
                o += ['.PP', 'Since %s.' % f.since]
    o += ['.SH SEE ALSO']
    see = ['libloopback (3)'] if name != 'libloopback' else []
    see += ['%s (3)' % p for p, _ in pages if p not in (name, 'libloopback')]
    see.append('loopback (1)')
    o.append(',\n'.join('.BR ' + s for s in see))
    return '\n'.join(o) + '\n'


def main(argv: List[str]) -> int:
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    mode = argv[1]
    if mode == 'filter':
        sys.stdout.write(doxygen_filter(argv[2]))
        return 0
    if mode == 'names':
        for path in argv[2:]:
            h = Header(path)
            for f in h.functions():
                print(page_name(h), f.name)
        return 0
    if mode == 'man':
        outdir, version = argv[2], argv[3]
        headers = [Header(p) for p in argv[4:]]
        epoch = os.environ.get('SOURCE_DATE_EPOCH')
        when = datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc) \
            if epoch else datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
        date = when.strftime('%Y-%m-%d')
        pages = [(page_name(h), h.title.rstrip('.')) for h in headers]
        for h in headers:
            with open(os.path.join(outdir, page_name(h) + '.3'), 'w', encoding='utf-8') as f:
                f.write(man_page(h, date, version, pages))
        return 0
    if mode == 'doxygen':
        import shutil
        import subprocess
        doxygen, doxyfile, outdir, symfile = argv[2:6]
        shutil.rmtree(outdir, ignore_errors=True)
        os.makedirs(outdir)
        rc = subprocess.run([doxygen, doxyfile]).returncode
        log = os.path.join(outdir, 'warnings.log')
        warnings = open(log, encoding='utf-8').read() if os.path.exists(log) else ''
        if warnings.strip():
            sys.stderr.write(warnings)
        if rc != 0 or warnings.strip():
            print('doxygen: %s' % ('failed (exit %d)' % rc if rc else 'warnings'), file=sys.stderr)
            return 1
        return main([argv[0], 'xml', symfile, os.path.join(outdir, 'xml')])
    if mode == 'xml':
        import glob
        import xml.etree.ElementTree as ET
        with open(argv[2], encoding='utf-8') as f:
            syms = set(re.findall(r'^\s*(lb_\w+);', f.read(), re.M))
        documented = set()
        for path in glob.glob(os.path.join(argv[3], '*_8h.xml')):
            for m in ET.parse(path).getroot().iter('memberdef'):
                brief = ''.join(m.find('briefdescription').itertext()).strip()
                if m.get('kind') == 'function' and brief:
                    documented.add(m.findtext('name'))
        missing = sorted(syms - documented)
        for s_ in missing:
            print('%s: exported but not in the API reference' % s_, file=sys.stderr)
        print('%d exports, %d documented in the reference, %d missing'
              % (len(syms), len(syms & documented), len(missing)))
        return 1 if missing or not syms else 0
    if mode == 'check':
        with open(argv[2], encoding='utf-8') as f:
            syms = set(re.findall(r'^\s*(lb_\w+);', f.read(), re.M))
        docs: Dict[str, Item] = {}
        for path in argv[3:]:
            for it in Header(path).functions():
                docs[it.name] = it
        bad = []
        for s in sorted(syms):
            it = docs.get(s)
            if it is None:
                bad.append('%s: exported but has no doc comment in include/' % s)
            elif not it.summary or not it.since:
                bad.append('%s: doc comment without %s' % (s, 'a summary' if not it.summary else '@since'))
        for s in sorted(set(docs) - syms):
            bad.append('%s: documented in a header but not in %s' % (s, os.path.basename(argv[2])))
        for b in bad:
            print(b, file=sys.stderr)
        print('%d exports, %d documented functions, %d problems' % (len(syms), len(docs), len(bad)))
        return 1 if bad else 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == '__main__':
    sys.exit(main(sys.argv))
