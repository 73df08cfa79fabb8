build/uapi/validate.o: uapi/validate.c uapi/../backend/linecfg.h \
 uapi/internal.h uapi/uapi.h uapi/../backend/backend.h \
 uapi/../policy/map.h
uapi/../backend/linecfg.h:
uapi/internal.h:
uapi/uapi.h:
uapi/../backend/backend.h:
uapi/../policy/map.h:
