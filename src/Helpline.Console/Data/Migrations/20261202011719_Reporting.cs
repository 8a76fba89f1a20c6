using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Helpline.Console.Data.Migrations
{
    /// <inheritdoc />
    public partial class Reporting : Migration
    {
        /// <summary>The rollups' functions and triggers (see Reporting/ReportingTables.cs), and their first fill.</summary>
        private const string InstallSql = """
-- Reports read these rollups; triggers keep them in the same transaction as the events they come from.
CREATE FUNCTION console.reporting_apply_contact(c console.contacts) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO console.contact_facts AS f (contact_id, channel, caller_key, received_at, queued, short_abandon, callback_requested, email_messages)
  VALUES (c.id, c.channel, c.caller_key, c.received_at, false, false, false, 0)
  ON CONFLICT (contact_id) DO UPDATE SET channel = excluded.channel, caller_key = excluded.caller_key, received_at = excluded.received_at;
END $$;

-- One upsert per event. Every column stays equal to what all the contact's events give, whatever their
-- order: a flag, a count, an earliest, or a latest (by the event's time).
CREATE FUNCTION console.reporting_apply_contact_event(e console.contact_events) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  is_email boolean;
  call_advisor uuid;
  wrap_up console.advisor_events;
  wrap_up_end timestamptz;
BEGIN
  INSERT INTO console.contact_facts AS f (
    contact_id, queued, callback_requested, email_messages, assigned_at, assigned_wait_seconds, advisor_id,
    answered_at, outcome, ended_at, end_wait_seconds, hung_up_at, short_abandon, first_reply_at)
  VALUES (
    e.contact_id, e.type = 'Queued', e.type = 'CallbackRequested', CASE WHEN e.type = 'EmailReceived' THEN 1 ELSE 0 END,
    CASE WHEN e.type = 'Assigned' THEN e.at END, CASE WHEN e.type = 'Assigned' THEN e.wait_seconds END,
    CASE WHEN e.type IN ('Assigned', 'Answered', 'Ended') THEN e.advisor_id END,
    CASE WHEN e.type = 'Answered' THEN e.at END,
    CASE WHEN e.type = 'Ended' THEN e.outcome END, CASE WHEN e.type = 'Ended' THEN e.at END, CASE WHEN e.type = 'Ended' THEN e.wait_seconds END,
    CASE WHEN e.type = 'CallerHungUp' THEN e.at END, e.type = 'CallerHungUp' AND coalesce(e.reason = 'ShortAbandon', false),
    CASE WHEN e.type = 'ReplySent' THEN e.at END)
  ON CONFLICT (contact_id) DO UPDATE SET
    queued = f.queued OR excluded.queued,
    callback_requested = f.callback_requested OR excluded.callback_requested,
    email_messages = f.email_messages + excluded.email_messages,
    assigned_at = CASE WHEN e.type = 'Assigned' AND (f.assigned_at IS NULL OR e.at >= f.assigned_at) THEN e.at ELSE f.assigned_at END,
    assigned_wait_seconds = CASE WHEN e.type = 'Assigned' AND (f.assigned_at IS NULL OR e.at >= f.assigned_at) THEN e.wait_seconds ELSE f.assigned_wait_seconds END,
    advisor_id = CASE
      WHEN e.type = 'Ended' AND e.advisor_id IS NOT NULL AND (f.ended_at IS NULL OR e.at >= f.ended_at) THEN e.advisor_id
      WHEN e.type = 'Assigned' AND f.outcome IS NULL AND (f.assigned_at IS NULL OR e.at >= f.assigned_at) THEN e.advisor_id
      WHEN e.type = 'Answered' AND f.advisor_id IS NULL THEN e.advisor_id
      ELSE f.advisor_id END,
    answered_at = least(f.answered_at, excluded.answered_at),
    outcome = CASE WHEN e.type = 'Ended' AND (f.ended_at IS NULL OR e.at >= f.ended_at) THEN e.outcome ELSE f.outcome END,
    end_wait_seconds = CASE WHEN e.type = 'Ended' AND (f.ended_at IS NULL OR e.at >= f.ended_at) THEN e.wait_seconds ELSE f.end_wait_seconds END,
    ended_at = CASE WHEN e.type = 'Ended' AND (f.ended_at IS NULL OR e.at >= f.ended_at) THEN e.at ELSE f.ended_at END,
    short_abandon = CASE WHEN e.type = 'CallerHungUp' AND (f.hung_up_at IS NULL OR e.at < f.hung_up_at) THEN excluded.short_abandon ELSE f.short_abandon END,
    hung_up_at = least(f.hung_up_at, excluded.hung_up_at),
    first_reply_at = least(f.first_reply_at, excluded.first_reply_at)
  RETURNING f.channel = 'Email' OR f.email_messages > 0, f.advisor_id INTO is_email, call_advisor;

  IF e.type = 'EmailReceived' THEN
    INSERT INTO console.email_activity (contact_id, at, kind) VALUES (e.contact_id, e.at, 'Received');
    INSERT INTO console.email_activity AS a (contact_id, at, kind) VALUES (e.contact_id, e.at, 'Opened')
    ON CONFLICT (contact_id) WHERE kind = 'Opened' DO UPDATE SET at = least(a.at, excluded.at);
  ELSIF e.type = 'Reopened' THEN
    INSERT INTO console.email_activity (contact_id, at, kind) VALUES (e.contact_id, e.at, 'Reopened');
  ELSIF e.type = 'Ended' AND coalesce(is_email, false) THEN
    INSERT INTO console.email_activity (contact_id, at, kind) VALUES (e.contact_id, e.at, 'Closed');
  END IF;

  -- A completed call's Ended arriving after its advisor's wrap-up was recorded: the first wrap-up from
  -- its end goes to the call it follows (reporting_set_wrap_up decides which, as it does for wrap-ups).
  IF e.type = 'Ended' AND e.outcome = 'Completed' AND call_advisor IS NOT NULL AND NOT coalesce(is_email, false) THEN
    SELECT * INTO wrap_up FROM console.advisor_events w
    WHERE w.advisor_id = call_advisor AND w.status = 'WrapUp' AND w.at >= e.at
    ORDER BY w.at, w.id LIMIT 1;
    IF wrap_up.id IS NOT NULL THEN
      SELECT n.at INTO wrap_up_end FROM console.advisor_events n
      WHERE n.advisor_id = call_advisor AND (n.at > wrap_up.at OR (n.at = wrap_up.at AND n.id > wrap_up.id))
      ORDER BY n.at, n.id LIMIT 1;
      IF wrap_up_end IS NOT NULL THEN
        PERFORM console.reporting_set_wrap_up(call_advisor, wrap_up.at, wrap_up_end);
      END IF;
    END IF;
  END IF;
END $$;

-- Adds (p_sign = 1) or takes away (-1) an advisor's time in one state over [p_from, p_to), quarter by quarter.
CREATE FUNCTION console.reporting_add_advisor_time(p_advisor uuid, p_status text, p_reason text, p_from timestamptz, p_to timestamptz, p_sign integer)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  q timestamptz;
  part bigint;
BEGIN
  IF p_status = 'Offline' OR p_to <= p_from THEN
    RETURN;
  END IF;
  q := date_bin('15 minutes', p_from, TIMESTAMPTZ '2000-01-01 00:00:00+00');
  WHILE q < p_to LOOP
    part := p_sign * (extract(epoch FROM least(q + interval '15 minutes', p_to) - greatest(q, p_from)) * 1000000)::bigint;
    INSERT INTO console.advisor_time AS t (quarter_start, status, reason, microseconds)
    VALUES (q, p_status, coalesce(p_reason, ''), part)
    ON CONFLICT (quarter_start, status, reason) DO UPDATE SET microseconds = t.microseconds + excluded.microseconds;
    INSERT INTO console.advisor_presence AS p (quarter_start, advisor_id, microseconds)
    VALUES (q, p_advisor, part)
    ON CONFLICT (quarter_start, advisor_id) DO UPDATE SET microseconds = p.microseconds + excluded.microseconds;
    q := q + interval '15 minutes';
  END LOOP;
END $$;

-- A wrap-up over [p_from, p_to) belongs to the call the advisor completed as it began.
CREATE FUNCTION console.reporting_set_wrap_up(p_advisor uuid, p_from timestamptz, p_to timestamptz) RETURNS void LANGUAGE sql AS $$
  UPDATE console.contact_facts SET wrap_up_seconds = extract(epoch FROM p_to - p_from)
  WHERE contact_id = (
    SELECT contact_id FROM console.contact_facts
    WHERE advisor_id = p_advisor AND outcome = 'Completed' AND channel = 'Call' AND ended_at <= p_from
    ORDER BY ended_at DESC LIMIT 1);
$$;

-- An advisor event closes the advisor's open span (the usual case), or, arriving late, splits a closed one.
CREATE FUNCTION console.reporting_apply_advisor_event(e console.advisor_events) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  p console.advisor_events;
  n console.advisor_events;
BEGIN
  SELECT * INTO p FROM console.advisor_events x
  WHERE x.advisor_id = e.advisor_id AND x.at <= e.at AND x.id <> e.id AND (x.at < e.at OR x.id < e.id)
  ORDER BY x.at DESC, x.id DESC LIMIT 1;
  SELECT * INTO n FROM console.advisor_events x
  WHERE x.advisor_id = e.advisor_id AND x.at >= e.at AND x.id <> e.id AND (x.at > e.at OR x.id > e.id)
  ORDER BY x.at, x.id LIMIT 1;
  IF n.id IS NULL THEN
    IF p.id IS NOT NULL THEN
      PERFORM console.reporting_add_advisor_time(e.advisor_id, p.status, p.reason, p.at, e.at, 1);
    END IF;
  ELSE
    IF p.id IS NOT NULL THEN
      PERFORM console.reporting_add_advisor_time(e.advisor_id, p.status, p.reason, e.at, n.at, -1);
    END IF;
    PERFORM console.reporting_add_advisor_time(e.advisor_id, e.status, e.reason, e.at, n.at, 1);
    IF e.status = 'WrapUp' THEN
      PERFORM console.reporting_set_wrap_up(e.advisor_id, e.at, n.at);
    END IF;
  END IF;
  IF p.status = 'WrapUp' THEN
    PERFORM console.reporting_set_wrap_up(e.advisor_id, p.at, e.at);
  END IF;
END $$;

CREATE FUNCTION console.reporting_contacts_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM console.reporting_apply_contact(NEW);
  RETURN NULL;
END $$;

CREATE FUNCTION console.reporting_contact_events_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM console.reporting_apply_contact_event(NEW);
  RETURN NULL;
END $$;

CREATE FUNCTION console.reporting_advisor_events_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM console.reporting_apply_advisor_event(NEW);
  RETURN NULL;
END $$;

CREATE TRIGGER reporting_contacts AFTER INSERT ON console.contacts FOR EACH ROW EXECUTE FUNCTION console.reporting_contacts_inserted();
CREATE TRIGGER reporting_contact_events AFTER INSERT ON console.contact_events FOR EACH ROW EXECUTE FUNCTION console.reporting_contact_events_inserted();
CREATE TRIGGER reporting_advisor_events AFTER INSERT ON console.advisor_events FOR EACH ROW EXECUTE FUNCTION console.reporting_advisor_events_inserted();

-- Every committed router transition tells each Console instance listening (the supervisors' live
-- dashboard): the notification is delivered when the transaction commits, and not at all if it rolls back.
CREATE FUNCTION console.reporting_router_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('helpline_router_changed', NEW.version::text);
  RETURN NULL;
END $$;

CREATE TRIGGER reporting_router_changed AFTER INSERT ON console.router_journal FOR EACH ROW EXECUTE FUNCTION console.reporting_router_changed();

-- What is already there: contacts and their events (any order gives the same rows), then each advisor's spans.
SELECT console.reporting_apply_contact(c) FROM console.contacts c;
SELECT console.reporting_apply_contact_event(e) FROM console.contact_events e ORDER BY e.id;
SELECT console.reporting_add_advisor_time(s.advisor_id, s.status, s.reason, s.at, s.next_at, 1),
       CASE WHEN s.status = 'WrapUp' THEN console.reporting_set_wrap_up(s.advisor_id, s.at, s.next_at) END
FROM (SELECT advisor_id, status, reason, at, lead(at) OVER (PARTITION BY advisor_id ORDER BY at, id) AS next_at
      FROM console.advisor_events) s
WHERE s.next_at IS NOT NULL;
""";

        private const string UninstallSql = """
DROP TRIGGER reporting_router_changed ON console.router_journal;
DROP FUNCTION console.reporting_router_changed();
DROP TRIGGER reporting_contacts ON console.contacts;
DROP TRIGGER reporting_contact_events ON console.contact_events;
DROP TRIGGER reporting_advisor_events ON console.advisor_events;
DROP FUNCTION console.reporting_contacts_inserted();
DROP FUNCTION console.reporting_contact_events_inserted();
DROP FUNCTION console.reporting_advisor_events_inserted();
DROP FUNCTION console.reporting_apply_advisor_event(console.advisor_events);
DROP FUNCTION console.reporting_set_wrap_up(uuid, timestamptz, timestamptz);
DROP FUNCTION console.reporting_add_advisor_time(uuid, text, text, timestamptz, timestamptz, integer);
DROP FUNCTION console.reporting_apply_contact_event(console.contact_events);
DROP FUNCTION console.reporting_apply_contact(console.contacts);
""";

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "advisor_presence",
                schema: "console",
                columns: table => new
                {
                    quarter_start = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    advisor_id = table.Column<Guid>(type: "uuid", nullable: false),
                    microseconds = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_advisor_presence", x => new { x.quarter_start, x.advisor_id });
                });

            migrationBuilder.CreateTable(
                name: "advisor_time",
                schema: "console",
                columns: table => new
                {
                    quarter_start = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    reason = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    microseconds = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_advisor_time", x => new { x.quarter_start, x.status, x.reason });
                });

            migrationBuilder.CreateTable(
                name: "contact_facts",
                schema: "console",
                columns: table => new
                {
                    contact_id = table.Column<Guid>(type: "uuid", nullable: false),
                    channel = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    caller_key = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    queued = table.Column<bool>(type: "boolean", nullable: false),
                    outcome = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    hung_up_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    short_abandon = table.Column<bool>(type: "boolean", nullable: false),
                    ended_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    end_wait_seconds = table.Column<double>(type: "double precision", nullable: true),
                    answered_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    assigned_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    assigned_wait_seconds = table.Column<double>(type: "double precision", nullable: true),
                    advisor_id = table.Column<Guid>(type: "uuid", nullable: true),
                    callback_requested = table.Column<bool>(type: "boolean", nullable: false),
                    wrap_up_seconds = table.Column<double>(type: "double precision", nullable: true),
                    email_messages = table.Column<int>(type: "integer", nullable: false),
                    first_reply_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    disposition = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false, computedColumnSql: "CASE\n  WHEN answered_at IS NOT NULL OR (outcome = 'Completed' AND hung_up_at IS NULL) THEN 'answered'\n  WHEN outcome = 'OutOfHours' THEN 'out_of_hours'\n  WHEN outcome = 'NoAdvisors' THEN 'no_advisors'\n  WHEN outcome = 'Overflow' THEN 'overflow'\n  WHEN outcome = 'Abandoned' OR hung_up_at IS NOT NULL THEN CASE WHEN short_abandon THEN 'short_abandon' ELSE 'abandoned' END\n  ELSE 'open'\nEND", stored: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_contact_facts", x => x.contact_id);
                });

            migrationBuilder.CreateTable(
                name: "email_activity",
                schema: "console",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    contact_id = table.Column<Guid>(type: "uuid", nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_email_activity", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_contact_facts_advisor_id_ended_at",
                schema: "console",
                table: "contact_facts",
                columns: new[] { "advisor_id", "ended_at" });

            migrationBuilder.CreateIndex(
                name: "ix_contact_facts_received_at",
                schema: "console",
                table: "contact_facts",
                column: "received_at");

            migrationBuilder.CreateIndex(
                name: "ix_email_activity_contact_id",
                schema: "console",
                table: "email_activity",
                column: "contact_id",
                unique: true,
                filter: "kind = 'Opened'");

            migrationBuilder.CreateIndex(
                name: "ix_email_activity_kind_at",
                schema: "console",
                table: "email_activity",
                columns: new[] { "kind", "at" });

            migrationBuilder.Sql(InstallSql);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(UninstallSql);

            migrationBuilder.DropTable(
                name: "advisor_presence",
                schema: "console");

            migrationBuilder.DropTable(
                name: "advisor_time",
                schema: "console");

            migrationBuilder.DropTable(
                name: "contact_facts",
                schema: "console");

            migrationBuilder.DropTable(
                name: "email_activity",
                schema: "console");
        }
    }
}
