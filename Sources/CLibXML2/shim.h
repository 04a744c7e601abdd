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

/* xmlCtxtReadMemory over the caller's UTF-8, in place: xmlCtxtReadMemory first copies a document
   into a buffer of its own of 8 KiB or more, allocated and freed for every document, and then
   calls a read callback that reads nothing, with a buffer check and a resize, near every tag.
   The input here has no buffer at all, as libxml2's own inputs for internal entities have none:
   the parser reads from base to end and sees the end as final. The caller guarantees a NUL at
   bytes[size] (libxml2 reads it as the end mark), no other NUL, and UTF-8 that declares no other
   encoding: libxml2 could not switch an input without a buffer to another encoding. */
static inline xmlDocPtr rng2swift_readTerminatedUTF8(xmlParserCtxtPtr ctxt, const char *bytes, int size, const char *URL, int options) {
    xmlCtxtReset(ctxt);
    xmlParserInputPtr stream = xmlNewInputStream(ctxt);
    if (stream == NULL) return NULL;
    stream->base = (const xmlChar *) bytes;
    stream->cur = stream->base;
    stream->end = stream->base + size;
    stream->length = size;
    if (URL != NULL) stream->filename = (char *) xmlStrdup((const xmlChar *) URL);
    inputPush(ctxt, stream);
    xmlCtxtUseOptions(ctxt, options);
    xmlParseDocument(ctxt);
    /* Returned even when it is not well-formed: the caller frees it, as only the caller knows
       how its nodes were allocated. */
    xmlDocPtr document = ctxt->myDoc;
    ctxt->myDoc = NULL;
    return document;
}

#endif
