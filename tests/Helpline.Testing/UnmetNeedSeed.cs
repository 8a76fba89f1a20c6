using System.Globalization;

namespace Helpline.Testing;

/// <summary>
/// Synthetic contacts for the unmet-need report (its reconciliation test and its benchmark): SQL that
/// inserts <c>count</c> completed calls with records spread over the 43 force areas (5% with no area),
/// every relationship, needs, what matching found (10% never matched), and referrals (30% of contacts,
/// local or national, in every state). Half arrive in the current month (Europe/London), half in the
/// <c>daysBefore</c> days before it. Deterministic for a seed (<c>setseed</c>), apart from the ids.
/// </summary>
public static class UnmetNeedSeed
{
    public static string Sql(int count, int seed, int daysBefore = 60) =>
        $"""
        SELECT setseed({(seed % 1000 / 1000.0).ToString("0.000", CultureInfo.InvariantCulture)});
        DROP TABLE IF EXISTS synthetic;
        CREATE TEMP TABLE synthetic AS
        SELECT gen_random_uuid() AS id, g,
               CASE WHEN g % 2 = 0 THEN m.start + random() * (now() - m.start) ELSE m.start - random() * interval '{daysBefore} days' END AS received_at,
               random() AS r1, random() AS r2, random() AS r3, random() AS r4, random() AS r5, random() AS r6
        FROM generate_series(1, {count}) g,
             (SELECT (date_trunc('month', now() AT TIME ZONE 'Europe/London') AT TIME ZONE 'Europe/London') AS start) m;
        INSERT INTO console.contacts (id, channel, provider_reference, received_at, queued_at, status, ended_at)
        SELECT id, 'Call', 'synthetic-' || g, received_at, received_at, 'Completed', received_at + interval '10 minutes' FROM synthetic;
        INSERT INTO console.contact_records (contact_id, revision, advisor_id, created_at, updated_at, police_force_code, relationship, needs, outcomes, urgent)
        SELECT s.id, 1, '00000000-0000-0000-0000-000000000001', s.received_at, s.received_at,
               CASE WHEN s.r1 < 0.05 THEN NULL ELSE f.codes[1 + floor(s.r2 * array_length(f.codes, 1))::int] END,
               (ARRAY['exPartner', 'family', 'friendOrAcquaintance', 'colleague', 'neighbour', 'stranger', 'onlineOnly', 'unknown', NULL])[1 + floor(s.r3 * 9)::int],
               CASE WHEN s.r4 < 0.6 THEN ARRAY['referral'] WHEN s.r4 < 0.7 THEN ARRAY['advocacy', 'information'] ELSE ARRAY['information'] END,
               ARRAY[]::text[], false
        FROM synthetic s, (SELECT array_agg(code ORDER BY code) AS codes FROM console.force_areas) f;
        INSERT INTO console.contact_matches (contact_id, record_revision, directory_revision, computed_at, local_eligible, national_eligible, local_available, national_available)
        SELECT id, 1, 1, received_at, floor(r5 * 3)::int, 3, floor(r5 * 3)::int, 3 FROM synthetic WHERE r5 < 0.9;
        INSERT INTO console.referral_consents (id, contact_id, service_id, fields, given_at, recorded_by)
        SELECT id, id, 'veritas-justice', ARRAY['name'], received_at, '00000000-0000-0000-0000-000000000001' FROM synthetic WHERE r6 < 0.3;
        INSERT INTO console.referrals (id, contact_id, service_id, service_name, is_local, consent_id, method, fields, status, made_at, made_by, closed_at, successful, reason, version)
        SELECT gen_random_uuid(), id, 'veritas-justice', 'Veritas Justice stalking advocacy', r6 < 0.15, id, 'phone', ARRAY['name'], status, received_at, '00000000-0000-0000-0000-000000000001',
               CASE WHEN status IN ('made', 'accepted') THEN NULL ELSE received_at + interval '1 day' END,
               CASE WHEN status = 'done' THEN r3 < 0.5 END,
               CASE WHEN status = 'done' AND r3 >= 0.5 THEN (ARRAY['lackOfCapacity', 'clientRefused', 'noLongerNeeded'])[1 + floor(r1 * 3)::int] WHEN status = 'rejected' THEN 'full' END,
               1
        FROM (SELECT *, (ARRAY['made', 'accepted', 'rejected', 'withdrawn', 'done', 'done'])[1 + floor(r2 * 6)::int] AS status FROM synthetic WHERE r6 < 0.3) s;
        DROP TABLE synthetic;
        """;
}
