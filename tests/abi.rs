//! Runs the C test of the ABI (tests/c/abi_test.c), which drives the core through
//! include/eventio.h exactly as the MicroPython glue does, with a fake glue and port.

// The core under test: the C side calls into it.
use eventio as _;

extern "C" {
    fn abi_test_sleepers_wake_in_deadline_order() -> i32;
    fn abi_test_main_value_is_returned() -> i32;
    fn abi_test_post_before_a_resumption_runs_the_higher_level_first() -> i32;
    fn abi_test_await_a_task_before_and_after_it_finished() -> i32;
    fn abi_test_cancel_sleeping_queued_and_finished_tasks() -> i32;
    fn abi_test_unretrieved_exception_reported_once() -> i32;
    fn abi_test_flag_wakes_every_waiter_once_and_coalesces_posts() -> i32;
    fn abi_test_post_refuses_bad_and_stale_handles() -> i32;
    fn abi_test_cancelled_flag_waiter_lets_the_loop_end() -> i32;
    fn abi_test_forget_empties_the_loops_queues() -> i32;
    fn abi_test_alarm_cancels_wakes_or_is_disarmed() -> i32;
}

// The C tests share one fake loop and clock, so they run one at a time.
static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

macro_rules! c_test {
    ($name:ident) => {
        #[test]
        fn $name() {
            let _g = super::SERIAL.lock().unwrap();
            assert_eq!(unsafe { super::$name() }, 0, "see the C test's message above");
        }
    };
}

mod c {
    c_test!(abi_test_sleepers_wake_in_deadline_order);
    c_test!(abi_test_main_value_is_returned);
    c_test!(abi_test_await_a_task_before_and_after_it_finished);
    c_test!(abi_test_cancel_sleeping_queued_and_finished_tasks);
    c_test!(abi_test_unretrieved_exception_reported_once);
    c_test!(abi_test_flag_wakes_every_waiter_once_and_coalesces_posts);
    c_test!(abi_test_post_refuses_bad_and_stale_handles);
    c_test!(abi_test_cancelled_flag_waiter_lets_the_loop_end);
    c_test!(abi_test_forget_empties_the_loops_queues);
    c_test!(abi_test_alarm_cancels_wakes_or_is_disarmed);
    c_test!(abi_test_post_before_a_resumption_runs_the_higher_level_first);
}
