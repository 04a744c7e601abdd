#ifndef RNG2SWIFT_CLIBXML2_SHIM_H
#define RNG2SWIFT_CLIBXML2_SHIM_H

#include <libxml/xmlversion.h>
/* libxml2 may be built with ICU; its ICU headers clash with Foundation's copy of ICU, and the
   project never uses libxml2's ICU converters, so they are kept out of the import. */
#undef LIBXML_ICU_ENABLED

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <libxml/uri.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlregexp.h>
#include <libxml/xmlschemastypes.h>
#include <libxml/SAX2.h>
#include <libxml/chvalid.h>

/* xmlFree is a global function pointer; Swift 6 treats such globals as shared mutable state. */
static inline void rng2swift_xmlFree(void *pointer) { xmlFree(pointer); }

#endif
