"""A local stand-in for the CodePipeline job API, for the quick start's `invoke --event` step.

moto has no CodePipeline job API. This answers the four calls the promote function makes
(GetJobDetails, ListActionExecutions with one approved manual approval, PutJobSuccessResult,
PutJobFailureResult) and appends every job result it receives, as JSON lines, to the file given
as the second argument. Usage: python3 codepipeline_stub.py PORT RESULTS_FILE
"""
import json
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT, RESULTS = int(sys.argv[1]), sys.argv[2]
APPROVER = "arn:aws:iam::333333333333:user/alice"


def action(name, category, status, updated_by=None):
    detail = {"pipelineExecutionId": "exec-1", "actionExecutionId": name, "stageName": "Promote",
              "actionName": name, "status": status, "startTime": time.time() - 60,
              "lastUpdateTime": time.time(),
              "input": {"actionTypeId": {"category": category, "owner": "AWS", "provider": "x", "version": "1"}}}
    if updated_by:
        detail["updatedBy"] = updated_by
    return detail


class JobApi(BaseHTTPRequestHandler):
    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        operation = self.headers.get("X-Amz-Target", "").rsplit(".", 1)[-1]
        if operation == "GetJobDetails":
            answer = {"jobDetails": {"id": body.get("jobId"), "data": {"pipelineContext": {
                "pipelineName": "orders-api-stage", "stage": {"name": "Promote"},
                "action": {"name": "Promote"}, "pipelineExecutionId": "exec-1"}}}}
        elif operation == "ListActionExecutions":
            answer = {"actionExecutionDetails": [action("Promote", "Invoke", "InProgress"),
                                                 action("Approve", "Approval", "Succeeded", APPROVER)]}
        elif operation in ("PutJobSuccessResult", "PutJobFailureResult"):
            with open(RESULTS, "a") as out:
                out.write(json.dumps({"operation": operation, **body}) + "\n")
            answer = {}
        else:
            self.send_response(400)
            self.end_headers()
            return
        data = json.dumps(answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/x-amz-json-1.1")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


ThreadingHTTPServer(("127.0.0.1", PORT), JobApi).serve_forever()
