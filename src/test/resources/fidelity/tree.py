#!/usr/bin/env python3
"""make SRC | compare SRC DST: the issue-26 torture tree and a per-property comparison."""
import os, sys, stat, subprocess
def touch(p, t): subprocess.check_call(["touch", "-h", "-m", "-d", t, p])
def make(root):
    os.makedirs(root + "/data"); os.makedirs(root + "/other"); os.makedirs(root + "/bin"); os.makedirs(root + "/shared"); os.makedirs(root + "/sticky")
    open(root + "/data/one.txt", "w").write("one content, three names")
    os.link(root + "/data/one.txt", root + "/data/two.txt"); os.link(root + "/data/one.txt", root + "/other/three.txt")
    for n, m in (("setuid", 0o4755), ("setgid", 0o2755)):
        open(root + "/bin/" + n, "w").write("#!/bin/sh\n"); os.chmod(root + "/bin/" + n, m)
    os.chmod(root + "/shared", 0o2775); os.chmod(root + "/sticky", 0o1777)
    open(root + "/owned.txt", "w").write("owned"); os.chown(root + "/owned.txt", 1234, 5678)
    open(root + "/1969.txt", "w").write("before the epoch"); touch(root + "/1969.txt", "1969-07-20 20:17:40.123456789 UTC")
    open(root + "/2100.txt", "w").write("far ahead"); touch(root + "/2100.txt", "2100-01-01 00:00:00.987654321 UTC")
    os.symlink("data/one.txt", root + "/link"); touch(root + "/link", "2020-02-03 04:05:06.111222333 UTC")
    os.mkfifo(root + "/pipe"); os.mknod(root + "/null-device", stat.S_IFCHR | 0o644, os.makedev(1, 3))
    open(root + "/tagged.txt", "w").write("xattrs"); os.setxattr(root + "/tagged.txt", "user.origin", b"site")
    os.setxattr(root + "/shared", "user.note", b"folder note")
    p = root
    for i in range(19):
        p += "/" + chr(ord("a") + i) * 200
    os.makedirs(p); open(p + "/" + "f" * 181, "w").write("under a 4,000-byte path")
def st(p):
    try: return os.lstat(p)
    except OSError: return None
def compare(src, dst):
    L = "/".join(chr(ord("a") + i) * 200 for i in range(19)) + "/" + "f" * 181
    s = lambda r: st(src + "/" + r); d = lambda r: st(dst + "/" + r)
    def ok(cond): return "kept" if cond else "lost"
    res = {}
    a, b, c = d("data/one.txt"), d("data/two.txt"), d("other/three.txt")
    res["hard links (3 names of one inode)"] = ok(a and b and c and a.st_ino == b.st_ino == c.st_ino)
    res["set-uid, set-gid, sticky bits"] = ok(all(d(r) and stat.S_IMODE(d(r).st_mode) == stat.S_IMODE(s(r).st_mode) for r in ("bin/setuid", "bin/setgid", "shared", "sticky")))
    res["owner 1234:5678 (as root)"] = ok(d("owned.txt") and (d("owned.txt").st_uid, d("owned.txt").st_gid) == (1234, 5678))
    res["mtime 1969 to the ns"] = ok(d("1969.txt") and d("1969.txt").st_mtime_ns == s("1969.txt").st_mtime_ns)
    res["mtime 2100 to the ns"] = ok(d("2100.txt") and d("2100.txt").st_mtime_ns == s("2100.txt").st_mtime_ns)
    res["link: target and mtime to the ns"] = ok(d("link") and stat.S_ISLNK(d("link").st_mode) and os.readlink(dst + "/link") == "data/one.txt" and d("link").st_mtime_ns == s("link").st_mtime_ns)
    res["FIFO"] = ok(d("pipe") and stat.S_ISFIFO(d("pipe").st_mode))
    res["character device 1:3"] = ok(d("null-device") and stat.S_ISCHR(d("null-device").st_mode) and d("null-device").st_rdev == s("null-device").st_rdev)
    def xa(p):
        try: return {n: os.getxattr(p, n, follow_symlinks=False) for n in os.listxattr(p, follow_symlinks=False) if n.startswith("user.")}
        except OSError: return None
    res["user.* xattrs (file, folder)"] = ok(xa(dst + "/tagged.txt") == xa(src + "/tagged.txt") and xa(dst + "/shared") == xa(src + "/shared"))
    try: longok = open(dst + "/" + L).read() == "under a 4,000-byte path"
    except OSError: longok = False
    res["file under a 4,000-byte path"] = ok(longok)
    for k, v in res.items(): print(f"{k}\t{v}")
if __name__ == "__main__":
    make(sys.argv[2]) if sys.argv[1] == "make" else compare(sys.argv[2], sys.argv[3])
