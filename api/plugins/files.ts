// requestFileUpload, confirmFileUpload, deleteFile and the fileDownloadUrl query. The work is in
// api/files.ts (db/tenant.ts as the signed-in user, lib/storage.ts for the object store); this
// plugin maps GraphQL to it and plans each payload's `file` as the generated UserFile, read back
// under the caller's RLS.
import { access, lambda, sideEffect, type Step } from "grafast";
import { extendSchema, gql } from "graphile-utils";
import { confirmUpload, deleteFile, downloadUrl, requestUpload, type RequestUploadInput } from "../files.ts";
import "../context.ts";
import { withRequest, type RequestDeps } from "./request.ts";

const fileIdOf = (fieldArgs: { getRaw(path: string | string[]): Step }) => fieldArgs.getRaw(["input", "fileId"]) as Step<string>;

export const FilesPlugin = extendSchema((build) => {
  const userFiles = build.input.pgRegistry.pgResources.user_files;
  if (!userFiles) throw new Error("FilesPlugin: the user_files resource is missing from the registry");
  /** The generated UserFile for a payload's fileId (null when RLS hides it). */
  const filePlan = ($payload: Step) => userFiles.get({ id: access($payload, "fileId") });

  return {
    typeDefs: gql`
      input RequestFileUploadInput {
        "Shown to the user; no slashes or control characters."
        filename: String!
        "One of the allowed content types; the upload must be sent with this Content-Type."
        mimeType: String!
        "The exact size of the file in bytes; the stored object must match it."
        sizeBytes: Int!
        "Hex SHA-256 of the file; when given, the stored object must match it."
        sha256: String
      }
      type HttpHeader {
        name: String!
        value: String!
      }
      type RequestFileUploadPayload {
        fileId: UUID!
        file: UserFile
        "Send the file body here with uploadMethod and requiredHeaders, then call confirmFileUpload."
        uploadUrl: String!
        uploadMethod: String!
        "Headers the upload must carry."
        requiredHeaders: [HttpHeader!]!
        objectKey: String!
        "When uploadUrl stops working."
        expiresAt: Datetime!
        "The largest file accepted, in bytes."
        maxBytes: Int!
      }
      input ConfirmFileUploadInput {
        fileId: UUID!
      }
      type ConfirmFileUploadPayload {
        fileId: UUID!
        file: UserFile
      }
      input DeleteFileInput {
        fileId: UUID!
      }
      type DeleteFilePayload {
        fileId: UUID!
        deleted: Boolean!
      }
      type FileDownload {
        fileId: UUID!
        file: UserFile
        "A presigned GET URL for the file's content."
        url: String!
        expiresAt: Datetime!
        filename: String!
        mimeType: String!
      }
      extend type Mutation {
        "Starts an upload: records the file as pending and returns a short-lived URL to PUT its content to."
        requestFileUpload(input: RequestFileUploadInput!): RequestFileUploadPayload
        "Checks the uploaded object (size, SHA-256, content type) and queues the file for ingestion; a mismatching upload is deleted."
        confirmFileUpload(input: ConfirmFileUploadInput!): ConfirmFileUploadPayload
        "Deletes one of your files: the stored object and the record (with its search chunks)."
        deleteFile(input: DeleteFileInput!): DeleteFilePayload
      }
      extend type Query {
        "A short-lived download URL for one of your uploaded files."
        fileDownloadUrl(fileId: UUID!): FileDownload
      }
    `,
    objects: {
      Mutation: {
        plans: {
          requestFileUpload(_, fieldArgs) {
            const $input = fieldArgs.getRaw("input") as Step<RequestUploadInput>;
            return sideEffect(withRequest($input), ([input, services, userId]: RequestDeps<RequestUploadInput>) =>
              requestUpload(services, userId, input),
            );
          },
          confirmFileUpload(_, fieldArgs) {
            return sideEffect(withRequest(fileIdOf(fieldArgs)), ([fileId, services, userId]: RequestDeps<string>) =>
              confirmUpload(services, userId, fileId),
            );
          },
          deleteFile(_, fieldArgs) {
            return sideEffect(withRequest(fileIdOf(fieldArgs)), ([fileId, services, userId]: RequestDeps<string>) =>
              deleteFile(services, userId, fileId),
            );
          },
        },
      },
      Query: {
        plans: {
          fileDownloadUrl(_, fieldArgs) {
            const $fileId = fieldArgs.getRaw("fileId") as Step<string>;
            return lambda(withRequest($fileId), ([fileId, services, userId]: RequestDeps<string>) => downloadUrl(services, userId, fileId));
          },
        },
      },
      RequestFileUploadPayload: { plans: { file: filePlan } },
      ConfirmFileUploadPayload: { plans: { file: filePlan } },
      FileDownload: { plans: { file: filePlan } },
    },
  };
}, "FilesPlugin");
