package dev.junction.core.internal.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.junction.core.internal.FakeTicker;

class RetryBudgetTest {

    private final FakeTicker ticker = new FakeTicker();

    private static int withdrawals(RetryBudget budget) {
        int taken = 0;
        while (budget.tryWithdraw() && taken < 10_000) {
            taken++;
        }
        return taken;
    }

    @Test
    void allowsAShareOfTheRecentRequestsPlusAnAllowancePerSecond() {
        RetryBudget budget = new RetryBudget(20, 1, ticker);
        for (int i = 0; i < 100; i++) {
            budget.deposit();
        }
        assertThat(withdrawals(budget)).as("20% of 100, plus 1 per second of the 10 s window").isEqualTo(30);
    }

    @Test
    void forgetsWhatIsOlderThanItsWindow() {
        RetryBudget budget = new RetryBudget(50, 0, ticker);
        for (int i = 0; i < 10; i++) {
            budget.deposit();
        }
        assertThat(withdrawals(budget)).isEqualTo(5);
        ticker.advance(Duration.ofSeconds(5));
        assertThat(budget.tryWithdraw()).as("the retries still count").isFalse();
        ticker.advance(Duration.ofSeconds(6));
        for (int i = 0; i < 4; i++) {
            budget.deposit();
        }
        assertThat(withdrawals(budget)).as("only the last 10 s count, requests and retries alike").isEqualTo(2);
    }
}
