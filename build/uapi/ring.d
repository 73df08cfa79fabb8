build/uapi/ring.o: uapi/ring.c uapi/internal.h uapi/uapi.h \
 uapi/../backend/backend.h uapi/../policy/map.h
uapi/internal.h:
uapi/uapi.h:
uapi/../backend/backend.h:
uapi/../policy/map.h:
