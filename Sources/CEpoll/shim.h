// Linux socket APIs that the Glibc module does not import: epoll, eventfd and accept4
// (accept4 sits behind _GNU_SOURCE). Header only, nothing to link.
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <netinet/tcp.h>

extern int accept4(int fd, struct sockaddr *addr, socklen_t *addrlen, int flags);
