(module
  (import "m" "mem" (memory 1))
  ;; Sum of the bytes of [p, p+n), each byte at address a weighted 1 or 256 by a's parity (the
  ;; little-endian 16-bit view of memory): bytes up to a 16-byte boundary, 16 bytes a step, the rest.
  ;; n <= 512 KiB keeps every lane below 2^32; the result (lanes folded once, plus the edge bytes)
  ;; is below 2^22.
  (func (export "sum") (param $p i32) (param $n i32) (result i32)
    (local $end i32) (local $vend i32) (local $s i32) (local $acc v128)
    (local.set $end (i32.add (local.get $p) (local.get $n)))
    (local.set $vend (i32.and (local.get $end) (i32.const -16)))
    (block $h_out
      (loop $h
        (br_if $h_out (i32.eqz (i32.and (local.get $p) (i32.const 15))))
        (br_if $h_out (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $s (i32.add (local.get $s)
          (i32.shl (i32.load8_u (local.get $p)) (i32.shl (i32.and (local.get $p) (i32.const 1)) (i32.const 3)))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $h)))
    (block $b_out
      (loop $b
        (br_if $b_out (i32.ge_u (local.get $p) (local.get $vend)))
        (local.set $acc (i32x4.add (local.get $acc) (i32x4.extadd_pairwise_i16x8_u (v128.load align=1 (local.get $p)))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $b)))
    (block $t_out
      (loop $t
        (br_if $t_out (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $s (i32.add (local.get $s)
          (i32.shl (i32.load8_u (local.get $p)) (i32.shl (i32.and (local.get $p) (i32.const 1)) (i32.const 3)))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $t)))
    (local.set $acc (i32x4.add
      (v128.and (local.get $acc) (v128.const i32x4 0xffff 0xffff 0xffff 0xffff))
      (i32x4.shr_u (local.get $acc) (i32.const 16))))
    (i32.add (local.get $s)
      (i32.add
        (i32.add (i32x4.extract_lane 0 (local.get $acc)) (i32x4.extract_lane 1 (local.get $acc)))
        (i32.add (i32x4.extract_lane 2 (local.get $acc)) (i32x4.extract_lane 3 (local.get $acc)))))))
