using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Helpline.Console.Data.Migrations
{
    /// <inheritdoc />
    public partial class Referrals : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "referral_consents",
                schema: "console",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    contact_id = table.Column<Guid>(type: "uuid", nullable: false),
                    service_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    fields = table.Column<List<string>>(type: "text[]", nullable: false),
                    given_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    recorded_by = table.Column<Guid>(type: "uuid", nullable: false),
                    withdrawn_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    withdrawn_by = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_referral_consents", x => x.id);
                    table.ForeignKey(
                        name: "fk_referral_consents_contacts_contact_id",
                        column: x => x.contact_id,
                        principalSchema: "console",
                        principalTable: "contacts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "referrals",
                schema: "console",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    contact_id = table.Column<Guid>(type: "uuid", nullable: false),
                    service_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    service_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    is_local = table.Column<bool>(type: "boolean", nullable: false),
                    consent_id = table.Column<Guid>(type: "uuid", nullable: false),
                    method = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    fields = table.Column<List<string>>(type: "text[]", nullable: false),
                    encrypted_name = table.Column<string>(type: "text", nullable: true),
                    encrypted_summary = table.Column<string>(type: "text", nullable: true),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    made_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    made_by = table.Column<Guid>(type: "uuid", nullable: false),
                    accepted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    closed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    successful = table.Column<bool>(type: "boolean", nullable: true),
                    reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    email_id = table.Column<Guid>(type: "uuid", nullable: true),
                    email_status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    email_message_id = table.Column<string>(type: "character varying(998)", maxLength: 998, nullable: true),
                    version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_referrals", x => x.id);
                    table.ForeignKey(
                        name: "fk_referrals_contacts_contact_id",
                        column: x => x.contact_id,
                        principalSchema: "console",
                        principalTable: "contacts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_referrals_referral_consent_consent_id",
                        column: x => x.consent_id,
                        principalSchema: "console",
                        principalTable: "referral_consents",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "referral_events",
                schema: "console",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    referral_id = table.Column<Guid>(type: "uuid", nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    actor_id = table.Column<Guid>(type: "uuid", nullable: true),
                    type = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    successful = table.Column<bool>(type: "boolean", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_referral_events", x => x.id);
                    table.ForeignKey(
                        name: "fk_referral_events_referrals_referral_id",
                        column: x => x.referral_id,
                        principalSchema: "console",
                        principalTable: "referrals",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_referral_consents_contact_id_service_id",
                schema: "console",
                table: "referral_consents",
                columns: new[] { "contact_id", "service_id" });

            migrationBuilder.CreateIndex(
                name: "ix_referral_events_referral_id",
                schema: "console",
                table: "referral_events",
                column: "referral_id");

            migrationBuilder.CreateIndex(
                name: "ix_referrals_consent_id",
                schema: "console",
                table: "referrals",
                column: "consent_id");

            migrationBuilder.CreateIndex(
                name: "ix_referrals_contact_id",
                schema: "console",
                table: "referrals",
                column: "contact_id");

            migrationBuilder.CreateIndex(
                name: "ix_referrals_contact_id_service_id",
                schema: "console",
                table: "referrals",
                columns: new[] { "contact_id", "service_id" },
                unique: true,
                filter: "status IN ('made', 'accepted')");

            migrationBuilder.CreateIndex(
                name: "ix_referrals_email_id",
                schema: "console",
                table: "referrals",
                column: "email_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_referrals_status",
                schema: "console",
                table: "referrals",
                column: "status");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "referral_events",
                schema: "console");

            migrationBuilder.DropTable(
                name: "referrals",
                schema: "console");

            migrationBuilder.DropTable(
                name: "referral_consents",
                schema: "console");
        }
    }
}
