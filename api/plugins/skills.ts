// requestSkillVersionUpload, confirmSkillVersionUpload, submitSkillVersionToStore and
// deleteSkillVersion. The work is in api/skills.ts (db/tenant.ts as the signed-in user,
// lib/storage.ts for the object store); this plugin maps GraphQL to it and plans each payload's
// records as the generated types, read back under the caller's RLS. HttpHeader comes from
// FilesPlugin, which must be loaded too.
import { access, sideEffect, type Step } from "grafast";
import { extendSchema, gql } from "graphile-utils";
import {
  confirmVersionUpload,
  deleteVersion,
  requestVersionUpload,
  submitVersionToStore,
  type RequestVersionUploadInput,
  type SubmitToStoreInput,
} from "../skills.ts";
import "../context.ts";
import { withRequest, type RequestDeps } from "./request.ts";

const versionIdOf = (fieldArgs: { getRaw(path: string | string[]): Step }) => fieldArgs.getRaw(["input", "versionId"]) as Step<string>;

export const SkillsPlugin = extendSchema((build) => {
  const { user_custom_skill_versions: versions, store_skills: storeSkills, store_skill_versions: storeVersions } = build.input.pgRegistry.pgResources;
  if (!versions || !storeSkills || !storeVersions) throw new Error("SkillsPlugin: a skill resource is missing from the registry");
  /** The generated UserCustomSkillVersion for a payload's versionId (null when RLS hides it). */
  const versionPlan = ($payload: Step) => versions.get({ id: access($payload, "versionId") });

  return {
    typeDefs: gql`
      input RequestSkillVersionUploadInput {
        "One of your custom skills."
        skillId: UUID!
        "Like 1.2.3 or 1.2.3-beta.1; unique per skill."
        version: String!
        "The exact size of the zip in bytes; the stored object must match it."
        sizeBytes: Int!
        "Hex SHA-256 of the zip; the stored object must match it."
        sha256: String!
      }
      type RequestSkillVersionUploadPayload {
        versionId: UUID!
        skillVersion: UserCustomSkillVersion
        "PUT the zip here with requiredHeaders, then call confirmSkillVersionUpload."
        uploadUrl: String!
        uploadMethod: String!
        "Headers the upload must carry."
        requiredHeaders: [HttpHeader!]!
        objectKey: String!
        "When uploadUrl stops working."
        expiresAt: Datetime!
        "The largest package accepted, in bytes."
        maxBytes: Int!
      }
      input ConfirmSkillVersionUploadInput {
        versionId: UUID!
      }
      type ConfirmSkillVersionUploadPayload {
        versionId: UUID!
        skillVersion: UserCustomSkillVersion
      }
      input SubmitSkillVersionToStoreInput {
        "One of your versions whose package check found it valid."
        versionId: UUID!
        "The store skill to add the version to (yours, or a new one); by default the one earlier versions went to, else the custom skill's name."
        storeSkillSlug: String
        "The store skill's title; by default the custom skill's."
        title: String
        categoryId: UUID
      }
      type SubmitSkillVersionToStorePayload {
        versionId: UUID!
        skillVersion: UserCustomSkillVersion
        storeSkillId: UUID!
        storeSkill: StoreSkill
        storeSkillVersionId: UUID!
        "Pending review until an admin approves it."
        storeSkillVersion: StoreSkillVersion
      }
      input DeleteSkillVersionInput {
        versionId: UUID!
      }
      type DeleteSkillVersionPayload {
        versionId: UUID!
        deleted: Boolean!
      }
      extend type Mutation {
        "Starts a package upload for a new version of one of your custom skills: records it as pending and returns a short-lived URL to PUT the zip to."
        requestSkillVersionUpload(input: RequestSkillVersionUploadInput!): RequestSkillVersionUploadPayload
        "Checks the uploaded zip (size, SHA-256, content type, zip header) and queues the package check; a mismatching upload is deleted."
        confirmSkillVersionUpload(input: ConfirmSkillVersionUploadInput!): ConfirmSkillVersionUploadPayload
        "Submits a valid version of your custom skill to the store, pending admin review."
        submitSkillVersionToStore(input: SubmitSkillVersionToStoreInput!): SubmitSkillVersionToStorePayload
        "Deletes one of your skill versions: the stored package and the record."
        deleteSkillVersion(input: DeleteSkillVersionInput!): DeleteSkillVersionPayload
      }
    `,
    objects: {
      Mutation: {
        plans: {
          requestSkillVersionUpload(_, fieldArgs) {
            const $input = fieldArgs.getRaw("input") as Step<RequestVersionUploadInput>;
            return sideEffect(withRequest($input), ([input, services, userId]: RequestDeps<RequestVersionUploadInput>) =>
              requestVersionUpload(services, userId, input),
            );
          },
          confirmSkillVersionUpload(_, fieldArgs) {
            return sideEffect(withRequest(versionIdOf(fieldArgs)), ([versionId, services, userId]: RequestDeps<string>) =>
              confirmVersionUpload(services, userId, versionId),
            );
          },
          submitSkillVersionToStore(_, fieldArgs) {
            const $input = fieldArgs.getRaw("input") as Step<SubmitToStoreInput>;
            return sideEffect(withRequest($input), ([input, services, userId]: RequestDeps<SubmitToStoreInput>) =>
              submitVersionToStore(services, userId, input),
            );
          },
          deleteSkillVersion(_, fieldArgs) {
            return sideEffect(withRequest(versionIdOf(fieldArgs)), ([versionId, services, userId]: RequestDeps<string>) =>
              deleteVersion(services, userId, versionId),
            );
          },
        },
      },
      RequestSkillVersionUploadPayload: { plans: { skillVersion: versionPlan } },
      ConfirmSkillVersionUploadPayload: { plans: { skillVersion: versionPlan } },
      SubmitSkillVersionToStorePayload: {
        plans: {
          skillVersion: versionPlan,
          storeSkill: ($payload: Step) => storeSkills.get({ id: access($payload, "storeSkillId") }),
          storeSkillVersion: ($payload: Step) => storeVersions.get({ id: access($payload, "storeSkillVersionId") }),
        },
      },
    },
  };
}, "SkillsPlugin");
