# cython: language_level=3, boundscheck=False, wraparound=False
"""The BILLSTATUS record stream of `billstatus_extract.records`, read by walking the parsed
libxml2 tree in C (lxml's public C API) instead of running the stylesheet and splitting its text.

Compiled when the package is installed with a C compiler at hand (see setup.py); without it,
`billstatus_extract` uses the stylesheet, which gives the same records. The layout (which record
kinds, which paths) is the one table in `billstatus_extract`, passed in as path steps.

Same results as XPath's, by construction: a path matches elements without a namespace only, in
document order; a field is the first match's string value (all its descendant text and CDATA,
concatenated). A document holding entity references (a DTD declared its own entities, never the
case in GovInfo's files) is left to the stylesheet: `records` returns None for it.
"""
cimport lxml.includes.etreepublic as cetree
from cpython.unicode cimport PyUnicode_DecodeUTF8
from libc.string cimport strcmp, strlen
from lxml.includes cimport tree

cetree.import_lxml__etree()


class EntityReference(Exception):
    """The tree holds an entity reference: its text is the stylesheet's to read."""


cdef inline bint _matches(tree.xmlNode* n, const char* name, bint any_name):
    return n.type == tree.XML_ELEMENT_NODE and n.ns is NULL and (any_name or strcmp(<const char*>n.name, name) == 0)


cdef inline str _utf8(const unsigned char* s):
    if s is NULL:
        return ""
    return PyUnicode_DecodeUTF8(<const char*>s, strlen(<const char*>s), NULL)


cdef void _gather(tree.xmlNode* n, list parts) except *:
    cdef tree.xmlNode* c = n.children
    while c is not NULL:
        if c.type == tree.XML_TEXT_NODE or c.type == tree.XML_CDATA_SECTION_NODE:
            parts.append(_utf8(c.content))
        elif c.type == tree.XML_ELEMENT_NODE:
            _gather(c, parts)
        elif c.type == tree.XML_ENTITY_REF_NODE:
            raise EntityReference()
        c = c.next


cdef str _text(tree.xmlNode* n):
    """The string value of an element."""
    cdef tree.xmlNode* c = n.children
    if c is NULL:
        return ""
    if c.next is NULL and (c.type == tree.XML_TEXT_NODE or c.type == tree.XML_CDATA_SECTION_NODE):
        return _utf8(c.content)  # a leaf: nearly every field
    cdef list parts = []
    _gather(n, parts)
    return "".join(parts)


cdef tree.xmlNode* _first(tree.xmlNode* n, tuple steps, Py_ssize_t i):
    """The first element in document order that the path steps[i:] reaches from n."""
    cdef bytes step = steps[i]
    cdef const char* name = step
    cdef bint any_name = step == b"*"
    cdef bint last = i + 1 == len(steps)
    cdef tree.xmlNode* found
    cdef tree.xmlNode* c = n.children
    while c is not NULL:
        if _matches(c, name, any_name):
            if last:
                return c
            found = _first(c, steps, i + 1)
            if found is not NULL:
                return found
        c = c.next
    return NULL


cdef void _every(tree.xmlNode* n, tuple steps, Py_ssize_t i, list out, bint as_text) except *:
    """Every element the path steps[i:] reaches from n, in document order: their string values
    (as_text) or the nodes themselves (as ints, for the caller to walk further). A step `x[1]`
    takes only the first `x` under each element the path reached before it, as in XPath."""
    cdef bytes step = steps[i]
    cdef bint first_only = step.endswith(b"[1]")
    if first_only:
        step = step[:len(step) - 3]
    cdef const char* name = step
    cdef bint any_name = step == b"*"
    cdef bint last = i + 1 == len(steps)
    cdef tree.xmlNode* c = n.children
    while c is not NULL:
        if _matches(c, name, any_name):
            if not last:
                _every(c, steps, i + 1, out, as_text)
            elif as_text:
                out.append(_text(c))
            else:
                out.append(<size_t>c)
            if first_only:
                break
        c = c.next


cdef list _fields(tree.xmlNode* n, str tag, tuple paths):
    cdef list rec = [tag]
    cdef tree.xmlNode* f
    for steps in paths:
        f = _first(n, <tuple>steps, 0)
        rec.append(_text(f) if f is not NULL else "")
    return rec


cdef list _nodes(tree.xmlNode* n, tuple steps):
    cdef list out = []
    if steps == (b".",):
        out.append(<size_t>n)
    else:
        _every(n, steps, 0, out, False)
    return out


cdef void _action_children(tree.xmlNode* action, tuple children, list out) except *:
    cdef list values
    for child, selects, paths in children:
        for steps in selects:
            if paths:  # a record of fields per element
                for p in _nodes(action, steps):
                    out.append(_fields(<tree.xmlNode*><size_t>p, child, paths))
            else:  # a record of the element's own text
                values = []
                _every(action, steps, 0, values, True)
                for value in values:
                    out.append([child, value])


def records(cetree._Element root not None, tuple layout, tuple lists, tuple action_children, tuple urls):
    """The record stream of a parsed `<billStatus>` (see `billstatus_extract.records`), or None
    when the document holds entity references."""
    cdef tree.xmlNode* top = root._c_node
    cdef tree.xmlNode* bill
    cdef tree.xmlNode* item
    cdef list out = []
    cdef list rec
    if not _matches(top, b"billStatus", False):
        return out
    try:
        for b in _nodes(top, (b"bill",)):
            bill = <tree.xmlNode*><size_t>b
            for tag, select, paths in layout:
                for p in _nodes(bill, select):
                    item = <tree.xmlNode*><size_t>p
                    rec = _fields(item, tag, paths)
                    if tag == "x":
                        _every(item, urls, 0, rec, True)
                    out.append(rec)
                    if tag == "a":
                        _action_children(item, action_children, out)
            for tag, paths in lists:
                rec = [tag]
                for steps in paths:
                    _every(bill, steps, 0, rec, True)
                out.append(rec)
    except EntityReference:
        return None
    return out
