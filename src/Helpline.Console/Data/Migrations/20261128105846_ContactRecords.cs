using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Helpline.Console.Data.Migrations
{
    /// <inheritdoc />
    public partial class ContactRecords : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "contact_records",
                schema: "console",
                columns: table => new
                {
                    contact_id = table.Column<Guid>(type: "uuid", nullable: false),
                    revision = table.Column<int>(type: "integer", nullable: false),
                    advisor_id = table.Column<Guid>(type: "uuid", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    fixated = table.Column<bool>(type: "boolean", nullable: true),
                    obsessive = table.Column<bool>(type: "boolean", nullable: true),
                    unwanted = table.Column<bool>(type: "boolean", nullable: true),
                    repeated = table.Column<bool>(type: "boolean", nullable: true),
                    is_stalking = table.Column<bool>(type: "boolean", nullable: true),
                    relationship = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    reported_to_police = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    risk_questionnaire_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    risk_questionnaire_version = table.Column<int>(type: "integer", nullable: true),
                    risk_answers = table.Column<string>(type: "jsonb", nullable: true),
                    risk_score = table.Column<int>(type: "integer", nullable: true),
                    risk_band = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    safe_to_call_back = table.Column<bool>(type: "boolean", nullable: true),
                    encrypted_callback_number = table.Column<string>(type: "text", nullable: true),
                    encrypted_safe_times = table.Column<string>(type: "text", nullable: true),
                    voicemail_allowed = table.Column<bool>(type: "boolean", nullable: true),
                    safe_to_email = table.Column<bool>(type: "boolean", nullable: true),
                    encrypted_email = table.Column<string>(type: "text", nullable: true),
                    local_authority_code = table.Column<string>(type: "character varying(9)", maxLength: 9, nullable: true),
                    police_force_code = table.Column<string>(type: "character varying(9)", maxLength: 9, nullable: true),
                    needs = table.Column<List<string>>(type: "text[]", nullable: false),
                    outcomes = table.Column<List<string>>(type: "text[]", nullable: false),
                    encrypted_notes = table.Column<string>(type: "text", nullable: true),
                    urgent = table.Column<bool>(type: "boolean", nullable: false),
                    urgent_raised_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_contact_records", x => x.contact_id);
                    table.ForeignKey(
                        name: "fk_contact_records_contacts_contact_id",
                        column: x => x.contact_id,
                        principalSchema: "console",
                        principalTable: "contacts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_contact_records_urgent",
                schema: "console",
                table: "contact_records",
                column: "urgent",
                filter: "urgent");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "contact_records",
                schema: "console");
        }
    }
}
