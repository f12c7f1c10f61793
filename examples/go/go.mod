module libloopback.invalid/examples

go 1.19

require libloopback.invalid/loopback v0.0.0

replace libloopback.invalid/loopback => ../../bindings/go
