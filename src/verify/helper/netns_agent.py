#!/usr/bin/env python3
# One endpoint address of `tcpscn verify`, living in a network namespace of its own.
#
# Why a Python file in a TypeScript project: Node can neither enter a network namespace
# (unshare/setns), nor create a TUN device (the TUNSETIFF ioctl), nor bind a TCP socket without
# SO_REUSEADDR (libuv sets it on every bind, which changes what Linux answers near TIME_WAIT:
# EADDRINUSE becomes EADDRNOTAVAIL). This agent does only those system calls, with Python's
# standard library (ctypes for unshare/prctl, fcntl for the ioctl); every decision (when to call,
# what the wire does with a packet, what a state change means) is made by src/verify/*.ts.
#
# Safety: it asks the kernel to kill it when its parent dies (PR_SET_PDEATHSIG) and exits when its
# standard input closes. Its namespace is anonymous, held by nothing but this process, so it
# vanishes with it, even after SIGKILL. The TUN device holds this address as a /32 and has /32
# routes to the scenario's other addresses only: no packet can leave for any other address, and
# the host's own namespace is never changed.
#
# Protocol: one JSON object per line both ways. Commands in: {"op": ...}; events out: {"ev": ...},
# each with "t", CLOCK_MONOTONIC in nanoseconds (the clock Node's process.hrtime reads).
# Packets travel base64-encoded in {"op": "pkt"} / {"ev": "pkt"}.

import base64
import ctypes
import errno
import fcntl
import heapq
import json
import os
import select
import signal
import socket
import struct
import subprocess
import sys
import time

CLONE_NEWNET = 0x40000000
PR_SET_PDEATHSIG = 1
TUNSETIFF = 0x400454CA
IFF_TUN = 0x0001
IFF_NO_PI = 0x1000
TCP_MAXSEG = 2
TCP_WINDOW_CLAMP = 10
TCP_INFO = 11
# /proc/net/tcp's hex state codes (include/net/tcp_states.h).
TCP_STATE_NAMES = {
    1: "ESTABLISHED", 2: "SYN_SENT", 3: "SYN_RECEIVED", 4: "FIN_WAIT_1", 5: "FIN_WAIT_2",
    6: "TIME_WAIT", 7: "CLOSED", 8: "CLOSE_WAIT", 9: "LAST_ACK", 10: "LISTEN", 11: "CLOSING",
    12: "SYN_RECEIVED",
}

libc = ctypes.CDLL(None, use_errno=True)
out_lock_free = True
# While not None, events are kept here (with their times) instead of written: see fire_fast.
held = None


def now_ns():
    return time.monotonic_ns()


def emit(obj, t=None):
    obj["t"] = now_ns() if t is None else t
    if held is not None:
        held.append(obj)
        return
    sys.stdout.write(json.dumps(obj, separators=(",", ":")) + "\n")
    sys.stdout.flush()


def errname(code):
    return errno.errorcode.get(code, str(code))


def write_sysctl(path, value):
    with open("/proc/sys/" + path, "w") as f:
        f.write(str(value))


def unshare_net():
    if libc.unshare(CLONE_NEWNET) != 0:
        raise OSError(ctypes.get_errno(), "unshare(CLONE_NEWNET): " + os.strerror(ctypes.get_errno()))


def ip(*args):
    subprocess.run(["ip", *args], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def hexaddr(h):
    a, p = h.split(":")
    return socket.inet_ntoa(struct.pack("<I", int(a, 16))) + ":" + str(int(p, 16))


def read_tcp_table():
    """Rows of /proc/net/tcp of this namespace: [local, remote, state, inode, timer]."""
    rows = []
    with open("/proc/net/tcp") as f:
        next(f)
        for line in f:
            c = line.split()
            rows.append([hexaddr(c[1]), hexaddr(c[2]), TCP_STATE_NAMES.get(int(c[3], 16), c[3]),
                         int(c[9]), int(c[5].split(":")[0], 16)])
    return rows


class Agent:
    def __init__(self):
        self.tun = None
        self.socks = {}  # sid -> dict(sock, kind, out, reading, connecting)
        self.next_accept = 100000
        self.last_table = None
        self.inbuf = b""
        self.due = []
        self.order = 0
        self.armed = []
        self.last_rows = []  # the table as last read, with each row's sid
        self.packet_n = None

    # ---- set-up -------------------------------------------------------------------------
    def setup(self, cmd):
        # A first private namespace only to lower tcp_child_ehash_entries: the namespace
        # created from it gets a 256-bucket established hash, so reading /proc/net/tcp costs
        # tens of microseconds instead of walking the host-sized table. Nothing is held in it.
        unshare_net()
        try:
            write_sysctl("net/ipv4/tcp_child_ehash_entries", 256)
        except OSError:
            pass
        unshare_net()
        for path in ("net/ipv6/conf/all/disable_ipv6", "net/ipv6/conf/default/disable_ipv6"):
            try:
                write_sysctl(path, 1)
            except OSError:
                pass
        applied = {}
        for path, value in cmd.get("sysctls", {}).items():
            try:
                write_sysctl(path, value)
                applied[path] = str(value)
            except OSError as e:
                applied[path] = "failed: " + e.strerror
        ip("link", "set", "lo", "up")
        self.tun = os.open("/dev/net/tun", os.O_RDWR | os.O_NONBLOCK)
        fcntl.ioctl(self.tun, TUNSETIFF, struct.pack("16sH", b"tcpscn0", IFF_TUN | IFF_NO_PI))
        ip("link", "set", "tcpscn0", "up", "mtu", "1500")
        ip("addr", "add", cmd["address"] + "/32", "dev", "tcpscn0")
        for peer in cmd.get("peers", []):
            ip("route", "add", peer + "/32", "dev", "tcpscn0")
        defaults = {}
        for path in cmd.get("report", []):
            try:
                with open("/proc/sys/" + path) as f:
                    defaults[path] = f.read().strip()
            except OSError:
                pass
        emit({"ev": "ready", "sysctls": applied, "defaults": defaults,
              "kernel": os.uname().release})

    # ---- sockets ------------------------------------------------------------------------
    def new_socket(self, cmd):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        if cmd.get("reuse"):
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if cmd.get("mss"):
            s.setsockopt(socket.IPPROTO_TCP, TCP_MAXSEG, int(cmd["mss"]))
        if cmd.get("window"):
            s.setsockopt(socket.IPPROTO_TCP, TCP_WINDOW_CLAMP, int(cmd["window"]))
        s.setblocking(False)
        return s

    def result(self, cmd, err=None, **extra):
        ev = {"ev": "result", "id": cmd.get("id"), "op": cmd["op"], "errno": errname(err) if err else None}
        ev.update(extra)
        emit(ev)

    def do_listen(self, cmd):
        again = self.socks.get(cmd["sid"])
        if again is not None:
            # listen() on the endpoint's own socket again: the kernel's answer is the errno.
            try:
                again["sock"].listen(64)
                return self.result(cmd)
            except OSError as e:
                return self.result(cmd, e.errno)
        s = self.new_socket(cmd)
        try:
            s.bind((cmd["address"], cmd["port"]))
            s.listen(64)
        except OSError as e:
            s.close()
            return self.result(cmd, e.errno)
        self.socks[cmd["sid"]] = {"sock": s, "kind": "listener", "out": b"", "reading": False,
                                  "connecting": False, "cmd": cmd}
        self.result(cmd, inode=os.fstat(s.fileno()).st_ino)

    def do_connect(self, cmd):
        again = self.socks.get(cmd["sid"])
        if again is not None:
            err = again["sock"].connect_ex((cmd["peerAddress"], cmd["peerPort"]))
            return self.result(cmd, err or None)
        s = self.new_socket(cmd)
        try:
            s.bind((cmd["address"], cmd["port"]))
        except OSError as e:
            s.close()
            return self.result(cmd, e.errno)
        err = s.connect_ex((cmd["peerAddress"], cmd["peerPort"]))
        if err not in (0, errno.EINPROGRESS):
            s.close()
            return self.result(cmd, err)
        self.socks[cmd["sid"]] = {"sock": s, "kind": "conn", "out": b"", "reading": True,
                                  "connecting": err == errno.EINPROGRESS, "cmd": cmd}
        self.result(cmd, inode=os.fstat(s.fileno()).st_ino)

    def entry(self, cmd):
        e = self.socks.get(cmd.get("sid"))
        if e is None:
            # A call on an endpoint that has no socket: made on a fresh, unconnected socket so
            # the errno is the kernel's own (tcp_sendmsg on a closed socket says EPIPE).
            s = self.new_socket({})
            e = {"sock": s, "kind": "fresh", "out": b"", "reading": False, "connecting": False}
        return e

    def do_send(self, cmd):
        e = self.entry(cmd)
        data = base64.b64decode(cmd["data"]) if cmd.get("data") else b"x" * int(cmd.get("n", 0))
        if e["kind"] == "fresh":
            try:
                e["sock"].send(data, socket.MSG_NOSIGNAL)
                err = None
            except OSError as ex:
                err = ex.errno
            e["sock"].close()
            return self.result(cmd, err)
        if e["out"] or e["connecting"]:
            e["out"] += data
            return self.result(cmd)
        try:
            n = e["sock"].send(data, socket.MSG_NOSIGNAL)
            e["out"] = data[n:]
            self.result(cmd)
        except BlockingIOError:
            e["out"] = data
            self.result(cmd)
        except OSError as ex:
            self.result(cmd, ex.errno)

    def drain(self, e):
        """Reads what arrived, so close() does not turn into a RST for unread data."""
        if not e["reading"]:
            return
        try:
            while True:
                d = e["sock"].recv(65536)
                if not d:
                    e["reading"] = False
                    return
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            e["reading"] = False

    def do_close(self, cmd, how):
        e = self.entry(cmd)
        s = e["sock"]
        err = None
        try:
            if how == "shutdown":
                if e["kind"] == "fresh":
                    s.shutdown(socket.SHUT_WR)
                elif e["out"] or e["connecting"]:
                    e["shutdown_pending"] = True
                else:
                    s.shutdown(socket.SHUT_WR)
            elif how == "abort":
                s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                s.close()
            else:
                if e["out"] or e["connecting"]:
                    # Data still queued in this process: the FIN must follow it (the model's
                    # CLOSE sends FIN after all queued data), so the close waits for the queue.
                    e["close_pending"] = True
                else:
                    self.drain(e)
                    s.close()
        except OSError as ex:
            err = ex.errno
        if e["kind"] == "fresh" and how != "abort":
            try:
                s.close()
            except OSError:
                pass
        if how in ("abort", "close") and not e.get("close_pending"):
            self.socks.pop(cmd.get("sid"), None)
        self.result(cmd, err)

    # ---- the loop -----------------------------------------------------------------------
    def emit_table(self, why, n=None, force=False):
        table = read_tcp_table()
        inodes = {os.fstat(e["sock"].fileno()).st_ino: sid for sid, e in self.socks.items()
                  if e["sock"].fileno() >= 0}
        rows = [r + [inodes.get(r[3])] for r in table]
        self.last_rows = rows
        key = [r[:4] + [r[4] != 0] for r in rows]
        if force or key != self.last_table:
            before = {(r[0], r[1]): r[2] for r in (self.last_table or [])}
            self.last_table = key
            fired = self.fire_armed(rows, before)
            emit({"ev": "table", "rows": rows, "why": why, "n": n})
            for cmd in fired:
                self.handle(cmd)

    def fire_armed(self, rows, before):
        """`on X STATE X verb` triggers armed by Node: the call is made here, right after the
        segment or call that made the transition, since a round trip through Node can lose the
        race with the kernel's next tick (a FIN's delayed ACK leaves within 4 ms)."""
        fired = []
        for arm in list(self.armed):
            for r in rows:
                if r[0] != arm["local"] or r[2] != arm["state"] or before.get((r[0], r[1])) == arm["state"]:
                    continue
                if r[5] is None:
                    continue  # not a socket of this agent's applications (yet)
                if arm.get("sids") is not None and r[5] not in arm["sids"]:
                    continue  # another incarnation's socket on the same address and port
                self.armed.remove(arm)
                cmd = dict(arm["call"], sid=r[5])
                emit({"ev": "fired", "id": arm["id"], "sid": r[5], "call": cmd})
                fired.append(cmd)
                break
        return fired

    def fire_fast(self):
        """Armed triggers checked right after a packet's write on this agent's own sockets, by
        TCP_INFO (microseconds) rather than /proc/net/tcp (about 0.1 ms): a FIN with no data
        has its delayed ACK sent at the next tick, anywhere in (0, 4] ms, and a close made that
        much later loses the race about one run in ten (a four-segment close where the model
        shows Linux's three). The calls are made at once with their reports held; then come
        the packet's table as the kernel had it before them (the last rows, with each fired
        socket in its armed state: one packet changes one connection), the `fired` events and
        the held reports, in the order the slower path gives. Returns those events to emit, or
        None when nothing fired."""
        global held
        if not self.armed:
            return None
        prev = self.last_rows
        hits = []
        for arm in list(self.armed):
            for r in prev:
                sid = r[5]
                if sid is None or r[0] != arm["local"] or r[2] == arm["state"]:
                    continue
                if arm.get("sids") is not None and sid not in arm["sids"]:
                    continue
                e = self.socks.get(sid)
                if e is None or e["kind"] != "conn" or e["sock"].fileno() < 0:
                    continue
                try:
                    code = e["sock"].getsockopt(socket.IPPROTO_TCP, TCP_INFO, 1)[0]
                except OSError:
                    continue
                if TCP_STATE_NAMES.get(code) != arm["state"]:
                    continue
                hits.append((arm, r))
                break
        if not hits:
            return None
        t_pre = now_ns()
        held = []
        fired = []
        try:
            for arm, r in hits:
                self.armed.remove(arm)
                cmd = dict(arm["call"], sid=r[5])
                fired.append((arm, cmd))
                self.handle(cmd)
        finally:
            reports, held = held, None
        changed = {(r[0], r[1]): arm["state"] for arm, r in hits}
        rows = [r[:2] + [changed.get((r[0], r[1]), r[2])] + r[3:] for r in prev]
        out = [{"ev": "fired", "id": arm["id"], "sid": cmd["sid"], "call": cmd, "t": t_pre}
               for arm, cmd in fired]
        out.append({"ev": "table", "rows": rows, "why": "pkt", "n": self.packet_n, "t": t_pre})
        return out + reports

    def on_readable(self, sid, e):
        s = e["sock"]
        if e["connecting"]:
            return  # the connect's outcome is read from SO_ERROR when it becomes writable
        if e["kind"] == "listener":
            while True:
                try:
                    c, peer = s.accept()
                except (BlockingIOError, InterruptedError):
                    return
                except OSError as ex:
                    emit({"ev": "sockerr", "sid": sid, "call": "accept", "errno": errname(ex.errno)})
                    return
                c.setblocking(False)
                nsid = self.next_accept
                self.next_accept += 1
                self.socks[nsid] = {"sock": c, "kind": "conn", "out": b"", "reading": True,
                                    "connecting": False, "listener": sid}
                emit({"ev": "accepted", "listener": sid, "sid": nsid,
                      "peer": "%s:%d" % peer, "inode": os.fstat(c.fileno()).st_ino})
        try:
            while True:
                d = s.recv(65536)
                if not d:
                    e["reading"] = False
                    emit({"ev": "eof", "sid": sid})
                    return
                emit({"ev": "data", "sid": sid, "n": len(d)})
        except (BlockingIOError, InterruptedError):
            return
        except OSError as ex:
            e["reading"] = False
            emit({"ev": "sockerr", "sid": sid, "call": "recv", "errno": errname(ex.errno)})

    def on_writable(self, sid, e):
        s = e["sock"]
        if e["connecting"]:
            e["connecting"] = False
            err = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            if err:
                e["reading"] = False
                e["failed"] = True
                emit({"ev": "sockerr", "sid": sid, "call": "connect", "errno": errname(err)})
                return
            emit({"ev": "connected", "sid": sid})
        if e["out"]:
            try:
                n = s.send(e["out"], socket.MSG_NOSIGNAL)
                e["out"] = e["out"][n:]
            except (BlockingIOError, InterruptedError):
                return
            except OSError as ex:
                e["out"] = b""
                emit({"ev": "sockerr", "sid": sid, "call": "send", "errno": errname(ex.errno)})
        if not e["out"]:
            if e.pop("shutdown_pending", False):
                try:
                    s.shutdown(socket.SHUT_WR)
                except OSError:
                    pass
            if e.pop("close_pending", False):
                self.drain(e)
                s.close()
                self.socks.pop(sid, None)

    def handle(self, cmd):
        op = cmd["op"]
        if op == "pkt":
            # Held here until due: this process's select() wakes to the microsecond, the pipe
            # from Node is out of the timing path.
            heapq.heappush(self.due, (int(cmd["at"]), self.order, cmd))
            self.order += 1
            return
        elif op == "setup":
            try:
                self.setup(cmd)
            except Exception as ex:
                # Nothing may run outside a namespace of its own: a failed set-up ends the agent.
                emit({"ev": "fatal", "message": "set-up failed: %s: %s" % (type(ex).__name__, ex)})
                sys.exit(1)
        elif op == "listen":
            self.do_listen(cmd)
        elif op == "connect":
            self.do_connect(cmd)
        elif op == "send":
            self.do_send(cmd)
        elif op in ("close", "shutdown", "abort"):
            self.do_close(cmd, op)
        elif op == "unlisten":
            e = self.socks.pop(cmd["sid"], None)
            if e:
                e["sock"].close()
            self.result(cmd)
        elif op == "arm":
            self.armed = [a for a in self.armed if a["id"] != cmd["id"]] + [cmd]
            return
        elif op == "disarm":
            self.armed = [a for a in self.armed if a["id"] != cmd["id"]]
            return
        elif op == "table":
            self.emit_table("ask", force=True)
            return
        elif op == "counters":
            emit({"ev": "counters", "text": open("/proc/net/netstat").read()})
            return
        if op not in ("pkt", "setup"):
            self.emit_table(op, cmd.get("id"))

    def deliver_due(self):
        while self.due and self.due[0][0] <= now_ns():
            at, _, cmd = heapq.heappop(self.due)
            late = now_ns() - at
            os.write(self.tun, base64.b64decode(cmd["d"]))
            # The write returns once the kernel has processed the segment: states now are its.
            t_written = now_ns()
            self.packet_n = cmd.get("n")
            fast = self.fire_fast()
            emit({"ev": "delivered", "n": cmd.get("n"), "late": late}, t_written)
            if fast is None:
                self.emit_table("pkt", cmd.get("n"))
            else:
                for obj in fast:
                    emit(obj, obj["t"])

    def run(self):
        stdin = sys.stdin.fileno()
        os.set_blocking(stdin, False)
        poll_s = 0.002
        while True:
            rlist = [stdin]
            wlist = []
            if self.tun is not None:
                rlist.append(self.tun)
            for sid, e in self.socks.items():
                if e["kind"] == "listener" or e["reading"]:
                    rlist.append(e["sock"])
                if e["connecting"] or e["out"]:
                    wlist.append(e["sock"])
            timeout = poll_s
            if self.due:
                timeout = max(0.0, min(poll_s, (self.due[0][0] - now_ns()) / 1e9))
            r, w, _ = select.select(rlist, wlist, [], timeout)
            self.deliver_due()
            if stdin in r:
                chunk = os.read(stdin, 1 << 20)
                if not chunk:
                    return
                self.inbuf += chunk
                while b"\n" in self.inbuf:
                    line, self.inbuf = self.inbuf.split(b"\n", 1)
                    if line.strip():
                        try:
                            self.handle(json.loads(line))
                        except SystemExit:
                            raise
                        except Exception as ex:  # reported, never fatal: Node decides
                            emit({"ev": "fault", "message": "%s: %s" % (type(ex).__name__, ex)})
            if self.tun is not None and self.tun in r:
                read = []
                while True:
                    try:
                        read.append((now_ns(), os.read(self.tun, 65536)))
                    except (BlockingIOError, InterruptedError):
                        break
                # Before the packets: the states as they are when they left, so a rule armed by
                # the transition that sent one (on X TIME_WAIT net drop ...) can see it. Each
                # packet keeps the time it was read.
                self.emit_table("send")
                for t, pkt in read:
                    emit({"ev": "pkt", "d": base64.b64encode(pkt).decode()}, t)
            for sid, e in list(self.socks.items()):
                if e["sock"] in r:
                    self.on_readable(sid, e)
                if e["sock"] in w and sid in self.socks:
                    self.on_writable(sid, e)
            if self.tun is not None:
                self.emit_table("poll")


def main():
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() == 1:
        return  # the parent is already gone
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    try:
        # Real time on a shared machine: the lowest real-time priority (see kernel.ts).
        os.sched_setscheduler(0, os.SCHED_RR, os.sched_param(1))
    except OSError:
        pass
    try:
        Agent().run()
    except BrokenPipeError:
        pass


if __name__ == "__main__":
    main()
