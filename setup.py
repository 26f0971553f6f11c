"""The package is described in pyproject.toml; this file only adds the optional compiled reader.

`scrapers/formats/billstatus_cwalk.pyx` reads BILLSTATUS fields from the parsed tree in C. It is
built when Cython and a C compiler are at hand (they are named in pyproject's build requirements;
the compiler comes from the system) and skipped otherwise: `billstatus_extract` then reads the
same fields with its stylesheet.
"""
from setuptools import Extension, setup


def extensions() -> list:
    try:
        import lxml
        from Cython.Build import cythonize
    except ImportError:
        return []
    ext = Extension("scrapers.formats.billstatus_cwalk", ["scrapers/formats/billstatus_cwalk.pyx"],
                    include_dirs=lxml.get_include())
    built = cythonize([ext], quiet=True)
    for e in built:
        e.optional = True  # a failed compile is a warning, not a failed install (cythonize drops the flag)
    return built


setup(ext_modules=extensions())
