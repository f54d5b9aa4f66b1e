#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| copydesk_fuzz::checks::language(data));
