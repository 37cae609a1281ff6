/* The libc constants and struct layouts EdgeGovernor.Hal/Interop uses, from the C headers of the target.
 * Every value is a global "abi_<key>" (read from the assembly of a cross compiler, gcc -S) and, with
 * -DABI_MAIN, printed as "<key> <value>" by a program (run on the build machine). */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <linux/filter.h>

#define VALUES(X) \
    X(const_O_RDONLY, O_RDONLY) \
    X(const_O_WRONLY, O_WRONLY) \
    X(const_O_RDWR, O_RDWR) \
    X(const_O_TRUNC, O_TRUNC) \
    X(const_O_NONBLOCK, O_NONBLOCK) \
    X(const_O_CLOEXEC, O_CLOEXEC) \
    X(const_O_DIRECTORY, O_DIRECTORY) \
    X(const_SIGTERM, SIGTERM) \
    X(const_EPERM, EPERM) \
    X(const_ENOENT, ENOENT) \
    X(const_EINTR, EINTR) \
    X(const_EIO, EIO) \
    X(const_ENXIO, ENXIO) \
    X(const_EAGAIN, EAGAIN) \
    X(const_EACCES, EACCES) \
    X(const_EBUSY, EBUSY) \
    X(const_ENODEV, ENODEV) \
    X(const_ENOTDIR, ENOTDIR) \
    X(const_EISDIR, EISDIR) \
    X(const_EINVAL, EINVAL) \
    X(const_ENOTTY, ENOTTY) \
    X(const_EROFS, EROFS) \
    X(const_ERANGE, ERANGE) \
    X(const_ENODATA, ENODATA) \
    X(const_EOPNOTSUPP, EOPNOTSUPP) \
    X(const_PATH_MAX, PATH_MAX) \
    X(const_ECONNREFUSED, ECONNREFUSED) \
    X(const_EREMOTEIO, EREMOTEIO) \
    X(const_ETIMEDOUT, ETIMEDOUT) \
    X(const_MSG_DONTWAIT, MSG_DONTWAIT) \
    X(const_MSG_TRUNC, MSG_TRUNC) \
    X(const_SOL_SOCKET, SOL_SOCKET) \
    X(const_SO_ATTACH_FILTER, SO_ATTACH_FILTER) \
    X(const_SO_RXQ_OVFL, SO_RXQ_OVFL) \
    X(const_EPOLLIN, EPOLLIN) \
    X(const_EPOLL_CTL_ADD, EPOLL_CTL_ADD) \
    X(const_EPOLL_CLOEXEC, EPOLL_CLOEXEC) \
    X(const_EFD_NONBLOCK, EFD_NONBLOCK) \
    X(const_EFD_CLOEXEC, EFD_CLOEXEC) \
    X(sizeof_epoll_event, sizeof(struct epoll_event)) \
    X(offsetof_epoll_event_events, offsetof(struct epoll_event, events)) \
    X(offsetof_epoll_event_data, offsetof(struct epoll_event, data)) \
    X(sizeof_iovec, sizeof(struct iovec)) \
    X(offsetof_iovec_iov_base, offsetof(struct iovec, iov_base)) \
    X(offsetof_iovec_iov_len, offsetof(struct iovec, iov_len)) \
    X(sizeof_msghdr, sizeof(struct msghdr)) \
    X(offsetof_msghdr_msg_name, offsetof(struct msghdr, msg_name)) \
    X(offsetof_msghdr_msg_namelen, offsetof(struct msghdr, msg_namelen)) \
    X(offsetof_msghdr_msg_iov, offsetof(struct msghdr, msg_iov)) \
    X(offsetof_msghdr_msg_iovlen, offsetof(struct msghdr, msg_iovlen)) \
    X(offsetof_msghdr_msg_control, offsetof(struct msghdr, msg_control)) \
    X(offsetof_msghdr_msg_controllen, offsetof(struct msghdr, msg_controllen)) \
    X(offsetof_msghdr_msg_flags, offsetof(struct msghdr, msg_flags)) \
    X(sizeof_mmsghdr, sizeof(struct mmsghdr)) \
    X(offsetof_mmsghdr_msg_hdr, offsetof(struct mmsghdr, msg_hdr)) \
    X(offsetof_mmsghdr_msg_len, offsetof(struct mmsghdr, msg_len)) \
    X(sizeof_sock_filter, sizeof(struct sock_filter)) \
    X(offsetof_sock_filter_code, offsetof(struct sock_filter, code)) \
    X(offsetof_sock_filter_jt, offsetof(struct sock_filter, jt)) \
    X(offsetof_sock_filter_jf, offsetof(struct sock_filter, jf)) \
    X(offsetof_sock_filter_k, offsetof(struct sock_filter, k)) \
    X(sizeof_sock_fprog, sizeof(struct sock_fprog)) \
    X(offsetof_sock_fprog_len, offsetof(struct sock_fprog, len)) \
    X(offsetof_sock_fprog_filter, offsetof(struct sock_fprog, filter))

#include "abi_values.h"
