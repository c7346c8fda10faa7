/*
 * digest: the verbs of `chorus digest`, each in its own file:
 * run and schedule (digest/run.c, around the send loop of digest/send.c)
 * and preview (digest/preview.c, read-only).
 */
#ifndef CHORUS_DIGEST_H
#define CHORUS_DIGEST_H

struct chorus;

int	digest_cmd_run(struct chorus *, int, char **);
int	digest_cmd_schedule(struct chorus *, int, char **);
int	digest_cmd_preview(struct chorus *, int, char **);

#endif
