# mcimg: the image tool.  libmcimg.a is the library (tests link it); the CLI
# (imagetool/cli/) parses arguments and calls it.  Each part lists its own
# sources in its fragment.
noinst_LIBRARIES += imagetool/libmcimg.a
imagetool_libmcimg_a_CFLAGS = $(AM_CFLAGS) $(YAJL_CFLAGS) $(CURL_CFLAGS) $(ARCHIVE_CFLAGS) $(CRYPTO_CFLAGS)
imagetool_libmcimg_a_SOURCES =
MCIMG_LIBS = imagetool/libmcimg.a spec/libspec.a common/libcommon.a \
	$(YAJL_LIBS) $(CURL_LIBS) $(ARCHIVE_LIBS) $(CRYPTO_LIBS) -lpthread

include $(srcdir)/imagetool/unpack.mk
include $(srcdir)/imagetool/registry.mk
include $(srcdir)/imagetool/store.mk
include $(srcdir)/imagetool/bundle.mk
