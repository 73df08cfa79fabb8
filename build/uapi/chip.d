build/uapi/chip.o: uapi/chip.c uapi/internal.h uapi/uapi.h \
 uapi/../backend/backend.h uapi/../policy/map.h
uapi/internal.h:
uapi/uapi.h:
uapi/../backend/backend.h:
uapi/../policy/map.h:
