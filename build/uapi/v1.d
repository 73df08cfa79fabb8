build/uapi/v1.o: uapi/v1.c uapi/internal.h uapi/uapi.h \
 uapi/../backend/backend.h uapi/../policy/map.h
uapi/internal.h:
uapi/uapi.h:
uapi/../backend/backend.h:
uapi/../policy/map.h:
