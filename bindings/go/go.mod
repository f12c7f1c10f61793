module libloopback.invalid/loopback

go 1.19
