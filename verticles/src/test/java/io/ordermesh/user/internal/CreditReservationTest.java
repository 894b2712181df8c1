package io.ordermesh.user.internal;

import static io.ordermesh.testing.TestPostgres.join;
import static org.assertj.core.api.Assertions.assertThat;

import io.ordermesh.events.EventEnvelope;
import io.ordermesh.events.Money;
import io.ordermesh.events.customer.CreditReleased;
import io.ordermesh.events.customer.CreditReserved;
import io.ordermesh.platform.db.Database;
import io.ordermesh.testing.MigratedSchema;
import io.ordermesh.user.internal.CustomerRepository.ReserveOutcome;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.math.BigDecimal;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The user service's one-statement credit hold and release on real PostgreSQL: what they answer, and what they hold. */
class CreditReservationTest {

  private static final String CUSTOMER = "carol";

  private final CustomerRepository customers = new CustomerRepository();
  @RegisterExtension
  final MigratedSchema schema = new MigratedSchema("users", "db/user");
  private Vertx vertx;
  private Database db;

  @BeforeEach
  void migrate() {
    vertx = schema.vertx();
    db = schema.db();
    join(customers.seed(db.pool(), new JsonObject().put("customers", new JsonArray().add(new JsonObject()
        .put("id", CUSTOMER).put("name", "Carol").put("email", "carol@example.com").put("creditLimit", "100.00")))));
  }


  @Test
  void holdsTheCreditAndAppendsTheEventWhenTheCustomerHasIt() {
    UUID order = UUID.randomUUID();

    assertThat(reserve(order, CUSTOMER, "60.00")).isEqualTo(ReserveOutcome.RESERVED);
    assertThat(available()).isEqualByComparingTo("40.00");
    assertThat(outboxRows()).isEqualTo(1);
  }

  @Test
  void namesTheReasonWhenItCannotHold() {
    assertThat(reserve(UUID.randomUUID(), CUSTOMER, "100.01")).isEqualTo(ReserveOutcome.CREDIT_LIMIT_EXCEEDED);
    assertThat(reserve(UUID.randomUUID(), "nobody", "1.00")).isEqualTo(ReserveOutcome.UNKNOWN_CUSTOMER);
    assertThat(available()).isEqualByComparingTo("100.00");
    assertThat(outboxRows()).isZero();
  }

  @Test
  void reportsAnOrderDecidedBeforeAsSuchWhateverTheCreditIsNow() {
    UUID cancelledFirst = UUID.randomUUID();
    join(db.pool().withTransaction(tx -> customers.markVoid(tx, cancelledFirst, CUSTOMER)));
    UUID reservedTwice = UUID.randomUUID();
    reserve(reservedTwice, CUSTOMER, "70.00");

    assertThat(reserve(cancelledFirst, CUSTOMER, "50.00")).as("more than is left, but the order is void")
        .isEqualTo(ReserveOutcome.ALREADY_DECIDED);
    assertThat(reserve(reservedTwice, CUSTOMER, "70.00")).as("more than is left, but the order holds it")
        .isEqualTo(ReserveOutcome.ALREADY_DECIDED);
    assertThat(available()).isEqualByComparingTo("30.00");
    assertThat(outboxRows()).isEqualTo(1);
  }

  @Test
  void givesReservedCreditBackOnceHoweverOftenTheOrderIsCancelled() {
    UUID order = UUID.randomUUID();
    reserve(order, CUSTOMER, "60.00");

    assertThat(releaseHeld(order)).hasValueSatisfying(released -> {
      assertThat(released.customerId()).isEqualTo(CUSTOMER);
      assertThat(released.amount()).isEqualByComparingTo("60.00");
    });
    assertThat(releaseHeld(order)).as("a second cancellation").isEmpty();
    assertThat(buckets()).isEqualTo("100.00/0.00/0.00");
    assertThat(join(customers.creditViolations(db.pool()))).isEmpty();
  }

  @Test
  void refundsCapturedCreditWhenAConfirmedOrderIsCancelled() {
    UUID order = UUID.randomUUID();
    reserve(order, CUSTOMER, "60.00");
    join(db.pool().withTransaction(tx -> customers.captureReserved(tx, order)));
    assertThat(buckets()).isEqualTo("40.00/0.00/60.00");

    assertThat(releaseHeld(order)).map(CreditReleased::amount).hasValueSatisfying(
        amount -> assertThat(amount).isEqualByComparingTo("60.00"));
    assertThat(buckets()).isEqualTo("100.00/0.00/0.00");
    join(db.pool().withTransaction(tx -> customers.captureReserved(tx, order)));
    assertThat(buckets()).as("a late confirmation captures nothing").isEqualTo("100.00/0.00/0.00");
  }

  @Test
  void releasesNothingForAnOrderThatHeldNoCredit() {
    UUID voided = UUID.randomUUID();
    join(db.pool().withTransaction(tx -> customers.markVoid(tx, voided, CUSTOMER)));
    reserve(UUID.randomUUID(), CUSTOMER, "30.00");

    assertThat(releaseHeld(voided)).isEmpty();
    assertThat(releaseHeld(UUID.randomUUID())).as("an order never heard of").isEmpty();
    assertThat(buckets()).isEqualTo("70.00/30.00/0.00");
  }

  private Optional<CreditReleased> releaseHeld(UUID order) {
    return join(db.pool().withTransaction(tx -> customers.releaseHeld(tx, order)));
  }

  /** available/reserved/spent of the customer. */
  private String buckets() {
    Row row = join(db.pool().query("SELECT credit_available, credit_reserved, credit_spent FROM customers WHERE id = '"
        + CUSTOMER + "'").execute()).iterator().next();
    return Money.format(row.getBigDecimal(0)) + "/" + Money.format(row.getBigDecimal(1)) + "/"
        + Money.format(row.getBigDecimal(2));
  }

  private ReserveOutcome reserve(UUID order, String customer, String amount) {
    BigDecimal total = new BigDecimal(amount);
    EventEnvelope event = EventEnvelope.wrap(new CreditReserved(order, customer, total), "user", "corr", null);
    return join(db.pool().withTransaction(tx -> customers.reserve(tx, order, customer, total, event)));
  }

  private BigDecimal available() {
    return join(db.pool().query("SELECT credit_available FROM customers WHERE id = '" + CUSTOMER + "'").execute())
        .iterator().next().getBigDecimal(0);
  }

  private long outboxRows() {
    return join(db.pool().query("SELECT count(*) FROM outbox").execute()).iterator().next().getLong(0);
  }
}
