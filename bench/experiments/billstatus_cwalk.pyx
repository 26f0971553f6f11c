# cython: language_level=3, boundscheck=False, wraparound=False
"""EXPERIMENT, not used by edtracker: the BILLSTATUS record stream of
`scrapers.formats.billstatus_extract.records` read by a C walk of the libxml2 tree (lxml's public
C API) instead of the XSLT pass and the string split. Built and timed by `cwalk_billstatus.py`."""
cimport lxml.includes.etreepublic as cetree
from lxml.includes cimport tree
from libc.string cimport strcmp
from cpython.unicode cimport PyUnicode_DecodeUTF8

cetree.import_lxml__etree()

cdef inline bint is_el(tree.xmlNode* n, const char* name):
    return n.type == tree.XML_ELEMENT_NODE and strcmp(<const char*>n.name, name) == 0

cdef inline Py_ssize_t _clen(const unsigned char* s):
    cdef Py_ssize_t i = 0
    while s[i] != 0:
        i += 1
    return i

cdef void _collect(tree.xmlNode* n, list parts):
    cdef tree.xmlNode* c = n.children
    while c is not NULL:
        if c.type == tree.XML_TEXT_NODE or c.type == tree.XML_CDATA_SECTION_NODE:
            if c.content is not NULL:
                parts.append(PyUnicode_DecodeUTF8(<const char*>c.content, _clen(c.content), NULL))
        elif c.type == tree.XML_ELEMENT_NODE:
            _collect(c, parts)
        c = c.next

cdef str text(tree.xmlNode* n):
    # string-value: the text of every descendant, in document order
    cdef tree.xmlNode* c = n.children
    if c is not NULL and c.next is NULL and (c.type == tree.XML_TEXT_NODE or c.type == tree.XML_CDATA_SECTION_NODE):
        return PyUnicode_DecodeUTF8(<const char*>c.content, _clen(c.content), NULL) if c.content is not NULL else ""
    cdef list parts = []
    _collect(n, parts)
    return "".join(parts)

cdef tree.xmlNode* first(tree.xmlNode* n, tuple steps, int i):
    """First node in document order of the path steps[i:] below n ("*" any element)."""
    cdef tree.xmlNode* c = n.children
    cdef tree.xmlNode* found
    cdef bytes step = steps[i]
    cdef const char* name = step
    cdef bint any_el = step == b"*"
    while c is not NULL:
        if c.type == tree.XML_ELEMENT_NODE and (any_el or strcmp(<const char*>c.name, name) == 0):
            if i + 1 == len(steps):
                return c
            found = first(c, steps, i + 1)
            if found is not NULL:
                return found
        c = c.next
    return NULL

cdef void every(tree.xmlNode* n, tuple steps, int i, list out):
    cdef tree.xmlNode* c = n.children
    cdef bytes step = steps[i]
    cdef const char* name = step
    cdef bint any_el = step == b"*"
    while c is not NULL:
        if c.type == tree.XML_ELEMENT_NODE and (any_el or strcmp(<const char*>c.name, name) == 0):
            if i + 1 == len(steps):
                out.append(text(c))
            else:
                every(c, steps, i + 1, out)
        c = c.next

cdef str value(tree.xmlNode* n, tuple steps):
    cdef tree.xmlNode* f = first(n, steps, 0)
    return text(f) if f is not NULL else ""

cdef list fields(tree.xmlNode* n, str tag, tuple paths):
    cdef list rec = [tag]
    for p in paths:
        rec.append(value(n, <tuple>p))
    return rec

cdef void elements(tree.xmlNode* n, tuple steps, int i, list out):
    # every element node of the path, in document order (as node pointers boxed in ints)
    cdef tree.xmlNode* c = n.children
    cdef bytes step = steps[i]
    cdef const char* name = step
    cdef bint any_el = step == b"*"
    while c is not NULL:
        if c.type == tree.XML_ELEMENT_NODE and (any_el or strcmp(<const char*>c.name, name) == 0):
            if i + 1 == len(steps):
                out.append(<size_t>c)
            else:
                elements(c, steps, i + 1, out)
        c = c.next

def records(cetree._Element root, tuple layout, tuple lists, tuple action_children, tuple urls):
    cdef tree.xmlNode* r = root._c_node
    cdef list out = []
    cdef list els, kids
    cdef tree.xmlNode* bill
    cdef tree.xmlNode* item
    cdef tree.xmlNode* k
    cdef size_t p, q
    bills = []
    elements(r, (b"bill",), 0, bills) if strcmp(<const char*>r.name, b"billStatus") == 0 else None
    for p in bills:
        bill = <tree.xmlNode*>p
        for tag, select, paths in layout:
            els = []
            if select == (b".",):
                els.append(<size_t>bill)
            else:
                elements(bill, select, 0, els)
            for q in els:
                item = <tree.xmlNode*>q
                rec = fields(item, tag, paths)
                if tag == "x":
                    every(item, urls, 0, rec)
                out.append(rec)
                if tag == "a":
                    for child, selects, child_paths in action_children:
                        for sel in selects:
                            if sel[len(sel) - 1] == b"name[1]":
                                # each element of the path minus its last step, then its first `name`
                                kids = []
                                elements(item, sel[:len(sel) - 1], 0, kids)
                                for q2 in kids:
                                    k = first(<tree.xmlNode*>(<size_t>q2), (b"name",), 0)
                                    if k is not NULL:
                                        out.append([child, text(k)])
                            else:
                                kids = []
                                elements(item, sel, 0, kids)
                                for q2 in kids:
                                    out.append(fields(<tree.xmlNode*>(<size_t>q2), child, child_paths))
        for tag, paths in lists:
            rec = [tag]
            for path in paths:
                every(bill, path, 0, rec)
            out.append(rec)
    return out
