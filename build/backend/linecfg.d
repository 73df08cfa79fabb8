build/backend/linecfg.o: backend/linecfg.c backend/linecfg.h
backend/linecfg.h:
