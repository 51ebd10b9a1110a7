// Linux APIs that the Glibc module does not import: epoll, eventfd, accept4 (behind _GNU_SOURCE)
// and posix_spawn_file_actions_addclosefrom_np (glibc 2.34, behind __USE_MISC). Header only,
// nothing to link.
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <netinet/tcp.h>
#include <spawn.h>

extern int accept4(int fd, struct sockaddr *addr, socklen_t *addrlen, int flags);

extern int posix_spawn_file_actions_addclosefrom_np(posix_spawn_file_actions_t *actions, int from);
