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

/* Parses the document `stream` holds with a freshly reset context, as xmlCtxtReadMemory does
   once it has made its input, and hands over the document (none when it is not well-formed). */
static inline xmlDocPtr rng2swift_parseInput(xmlParserCtxtPtr ctxt, xmlParserInputPtr stream, const char *URL, int options) {
    inputPush(ctxt, stream);
    xmlCtxtUseOptions(ctxt, options);
    if (URL != NULL && stream->filename == NULL) stream->filename = (char *) xmlStrdup((const xmlChar *) URL);
    xmlParseDocument(ctxt);
    xmlDocPtr document = ctxt->myDoc;
    ctxt->myDoc = NULL;
    if (!ctxt->wellFormed && !ctxt->recovery && document != NULL) {
        xmlFreeDoc(document);
        document = NULL;
    }
    return document;
}

/* xmlCtxtReadMemory without libxml2 2.9's "grow" machinery: a memory input keeps a read callback
   that reads nothing, and the parser calls it, with a buffer check and a resize, near every tag
   of a small document (a tenth of a snapshot's parse). Without the callback the parser sees the
   buffer as complete. Two exceptions, which the caller handles by parsing again with
   xmlCtxtReadMemory: a document in another encoding than UTF-8, which libxml2 converts as it
   grows the buffer (see rng2swift_convertedEncoding), and one beyond libxml2's lookup limit
   (XML_MAX_LOOKUP_LIMIT), which it refuses without the callback. */
static inline xmlDocPtr rng2swift_readMemoryWithoutGrowing(xmlParserCtxtPtr ctxt, const char *bytes, int size, const char *URL, int options) {
    xmlCtxtReset(ctxt);
    xmlParserInputBufferPtr input = xmlParserInputBufferCreateMem(bytes, size, XML_CHAR_ENCODING_NONE);
    if (input == NULL) return NULL;
    input->readcallback = NULL;
    xmlParserInputPtr stream = xmlNewIOInputStream(ctxt, input, XML_CHAR_ENCODING_NONE);
    if (stream == NULL) {
        xmlFreeParserInputBuffer(input);
        return NULL;
    }
    return rng2swift_parseInput(ctxt, stream, URL, options);
}

/* xmlCtxtReadMemory over the caller's UTF-8, in place: xmlCtxtReadMemory first copies a document
   into a buffer of its own of 8 KiB or more, allocated and freed for every document, which costs
   a small document more than a twentieth of its parse. The input here has no buffer at all, as
   libxml2's own inputs for internal entities have none: the parser reads from base to end and
   sees the end as final. The caller guarantees a NUL at bytes[size] (libxml2 reads it as the end
   mark), no other NUL, and UTF-8 that declares no other encoding: libxml2 could not switch an
   input without a buffer to another encoding. */
static inline xmlDocPtr rng2swift_readTerminatedUTF8(xmlParserCtxtPtr ctxt, const char *bytes, int size, const char *URL, int options) {
    xmlCtxtReset(ctxt);
    xmlParserInputPtr stream = xmlNewInputStream(ctxt);
    if (stream == NULL) return NULL;
    stream->base = (const xmlChar *) bytes;
    stream->cur = stream->base;
    stream->end = stream->base + size;
    stream->length = size;
    return rng2swift_parseInput(ctxt, stream, URL, options);
}

/* Whether the last parse converted its input from another encoding. */
static inline int rng2swift_convertedEncoding(xmlParserCtxtPtr ctxt) {
    return ctxt->input != NULL && ctxt->input->buf != NULL && ctxt->input->buf->encoder != NULL;
}

#endif
