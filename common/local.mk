noinst_LIBRARIES += common/libcommon.a
common_libcommon_a_SOURCES = \
	common/cleanup.h \
	common/error.c common/error.h \
	common/fileutil.c common/fileutil.h \
	common/xalloc.c common/xalloc.h
